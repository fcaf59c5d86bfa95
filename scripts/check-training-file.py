#!/usr/bin/python3
"""Checks a Kiln training file with the ONNX reference checker (Debian's python3-onnx, /usr/bin/python3).

Usage: scripts/check-training-file.py DIR_OR_train_step.onnx

Runs onnx.checker.check_model(full_check=True) (which includes strict shape inference), then checks that the
file has only default-domain ops at opset >= 17, that every state named in kiln.training.state is both a graph
input and an initializer, that its next-value output exists, and that kiln.training.inputs names graph inputs.
Not run at test time (the Java tests load every exported file in ONNX Runtime); used to check the format by hand.
"""
import json
import os
import sys

import onnx


def main(path):
    if os.path.isdir(path):
        path = os.path.join(path, "train_step.onnx")
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    opsets = {o.domain: o.version for o in m.opset_import}
    assert set(opsets) == {""} and opsets[""] >= 17, "opsets %s" % opsets
    domains = {n.domain for n in m.graph.node}
    assert domains <= {""}, "non-default domains %s" % domains
    meta = {p.key: p.value for p in m.metadata_props}
    state = json.loads(meta["kiln.training.state"])
    inputs = {i.name for i in m.graph.input}
    inits = {t.name for t in m.graph.initializer}
    outputs = {o.name for o in m.graph.output}
    for s, nxt in state.items():
        assert s in inputs and s in inits, "state %s must be an input and an initializer" % s
        assert nxt in outputs, "next value %s of %s is not an output" % (nxt, s)
    data = json.loads(meta["kiln.training.inputs"])
    assert set(data) <= inputs and "labels" in data, "data inputs %s" % data
    assert meta["kiln.training.loss"] in outputs
    print("%s: ok (opset %d, %d nodes, %d state tensors, inputs %s)" % (path, opsets[""], len(m.graph.node), len(state), data))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
