#!/usr/bin/env python3
"""Trains a Kiln training file (train_step.onnx) with stock ONNX Runtime and numpy only, then scores model.onnx.

Usage: train_onnx.py DIR [--data /usr/share/datasets/fashion-mnist] [--epochs 1] [--batch-size 128] [--min-accuracy 0.85]

DIR holds train_step.onnx and model.onnx as `./kiln export-training mlp --output DIR` writes them. One run of
train_step.onnx is one optimizer step; its metadata says which output is the next value of which state input
(see docs/onnx-training.md). The first step is run without feeding the state, so ONNX Runtime uses the file's
initializers: the file alone is trainable. The trained values then go into model.onnx through
SessionOptions.add_initializer (its initializers have the same names). Exits 1 if the test accuracy is below
--min-accuracy.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort


def idx(path):
    """An IDX file (MNIST's format) as a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, part):
    x = idx(os.path.join(data_dir, part + "-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
    y = idx(os.path.join(data_dir, part + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return x, y


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-accuracy", type=float, default=0.85)
    a = ap.parse_args()

    x_train, y_train = load(a.data, "train")
    x_test, y_test = load(a.data, "t10k")
    # Standardised pixels (the training set's mean and std), as Kiln's demo feeds its MLP.
    mean, std = x_train.mean(), x_train.std()
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    quiet = ort.SessionOptions()
    quiet.log_severity_level = 3  # ORT warns that state initializers are also inputs: that is the point (overridable)
    step = ort.InferenceSession(os.path.join(a.dir, "train_step.onnx"), quiet, providers=["CPUExecutionProvider"])
    meta = step.get_modelmeta().custom_metadata_map
    state_of = json.loads(meta["kiln.training.state"])       # state input -> output holding its next value
    image, labels = json.loads(meta["kiln.training.inputs"])  # the model's input, then "labels"
    loss_name = meta["kiln.training.loss"]
    outputs = [loss_name] + list(state_of.values())

    # --- the training loop: feed data and state, keep the next state ---
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    state = {}  # empty on the first step: the file's initializers are the initial state
    for epoch in range(a.epochs):
        order = rng.permutation(len(x_train))
        losses = []
        for i in range(0, len(order), a.batch_size):
            b = order[i:i + a.batch_size]
            out = step.run(outputs, {image: x_train[b], labels: y_train[b], **state})
            losses.append(float(out[0]))
            state = {name: value for name, value in zip(state_of.keys(), out[1:])}
        print("epoch %d: mean loss %.4f over %d steps (%.1f s)" % (epoch + 1, np.mean(losses), len(losses), time.time() - t0))

    # --- the trained parameters into model.onnx (same names), then test accuracy ---
    so = ort.SessionOptions()
    model_path = os.path.join(a.dir, "model.onnx")
    keep = []
    for name, value in state.items():
        v = ort.OrtValue.ortvalue_from_numpy(value)
        keep.append(v)  # add_initializer does not copy: the values must outlive the session
        so.add_initializer(name, v)  # names model.onnx lacks (optimizer slots, step counter) are not used
    model = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    out_name = model.get_outputs()[0].name
    logits = np.concatenate([model.run([out_name], {model.get_inputs()[0].name: x_test[i:i + 1000]})[0]
                             for i in range(0, len(x_test), 1000)])
    acc = float(np.mean(np.argmax(logits, axis=1) == y_test))
    print("test accuracy of model.onnx with the trained state (ONNX Runtime %s, Python): %.4f" % (ort.__version__, acc))
    if acc < a.min_accuracy:
        print("below the required %.2f" % a.min_accuracy, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
