#!/usr/bin/python3
# Exports torchvision's AlexNet and VGG-11 (random weights: what is measured is the size, not the values) as ONNX
# into a folder, with a fixed 1x3x224x224 input as input.npy, for scripts/bench-import. Needs Debian's python3-torch
# and python3-torchvision (hence /usr/bin/python3); nothing it writes is committed.
import sys

import numpy as np
import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/kiln-bench-import"
names = sys.argv[2:] or ["alexnet", "vgg11"]
import os
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
x = torch.randn(1, 3, 224, 224)
np.save(os.path.join(out, "input.npy"), x.numpy())
for name in names:
    model = getattr(torchvision.models, name)().eval()
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"], opset_version=13)
    print(path, os.path.getsize(path) // (1 << 20), "MiB")
