#!/usr/bin/python3
"""Inference benchmark helper: exports with torch.onnx the SAME weights as a Kiln-exported ONNX file.

Builds bench_torch.py's network of --model behind the same input standardisation ((x - mean) / std, as Kiln's
Standardize), copies every weight from the Kiln file's initializers into it (InferenceBenchmark passes the file
exported with foldInputAffine(false): the default export folds the standardisation into the first layer's weights) (in order; Kiln stores a linear layer's
weight as [in, out], torch as [out, in], so 2-D weights are transposed), and writes torch.onnx's export of it with
a dynamic batch dimension. The Java side (InferenceBenchmark) then checks both files give the same outputs in ONNX
Runtime before it times them. Run with /usr/bin/python3 (Debian's python3-torch and python3-onnx).
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_torch  # noqa: E402


class Standardized(torch.nn.Module):
    def __init__(self, net, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.net = net

    def forward(self, x):
        return self.net((x - self.mean) / self.std)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--kiln-onnx", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mean", type=float, required=True)
    ap.add_argument("--std", type=float, required=True)
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()
    kiln = onnx.load(a.kiln_onnx)
    # NOTE: scalars are the standardisation's constants, not weights.
    weights = [numpy_helper.to_array(i) for i in kiln.graph.initializer if len(i.dims) >= 1 and np.prod(i.dims) > 1]
    net = bench_torch.model(a.model)
    params = list(net.parameters())
    if len(weights) != len(params):
        raise SystemExit("the Kiln file has %d weight initializers, the torch %s has %d parameters"
                         % (len(weights), a.model, len(params)))
    with torch.no_grad():
        for i, (w, p) in enumerate(zip(weights, params)):
            if w.ndim == 2 and w.shape[::-1] == tuple(p.shape):
                w = w.T
            if tuple(w.shape) != tuple(p.shape):
                raise SystemExit("weight %d: Kiln %s, torch %s" % (i, w.shape, tuple(p.shape)))
            p.copy_(torch.from_numpy(np.ascontiguousarray(w)))
    model = Standardized(net, a.mean, a.std).eval()
    shape = {"mlp": (1, 784), "lstm": (1, 28, 28)}.get(a.model, (1, 1, 28, 28))
    torch.onnx.export(model, torch.zeros(*shape), a.out, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=a.opset)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
