#!/usr/bin/python3
"""The Fashion-MNIST demo's recipe in PyTorch, to tell a recipe's limit from a Kiln bug.

Same recipe as Kiln's FashionMnistDemo: MLP 784-256-256-10 (or LeNet-5, ReLU + max pooling), softmax
cross-entropy, Adam lr 1e-3, batch 128, a fresh shuffle every epoch; prints the test accuracy after each
epoch. Variants (flags) let one measure what each ingredient is worth:
  --init kiln|torch        Kiln's old defaults (Glorot-uniform dense weights, He-uniform conv weights, zero
                           biases) or PyTorch's (U(+-1/sqrt(fan_in)) for weights and biases)
  --inputs unit|standard   pixels in [0, 1], or standardised with the training set's mean and std
  --schedule constant|cosine  lr 1e-3 throughout, or cosine-annealed per step from 1e-3 to 0 over the run
Run with Debian's /usr/bin/python3 (torch 1.13); reads the IDX files of /usr/share/datasets/fashion-mnist.
Prints: RESULT model=... seed=... epoch=N test_acc=...
"""
import argparse
import gzip
import math
import os

import numpy as np
import torch


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(root, prefix):
    def find(base):
        for name in (base + ".gz", base):
            if os.path.exists(os.path.join(root, name)):
                return os.path.join(root, name)
        raise SystemExit("missing " + base)
    x = idx(find(prefix + "-images-idx3-ubyte")).astype(np.float32) / 255.0
    y = idx(find(prefix + "-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())


def model(name):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def kiln_init(net):
    for m in net.modules():
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
        elif isinstance(m, torch.nn.Conv2d):
            torch.nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp", choices=["mlp", "lenet"])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--init", default="kiln", choices=["kiln", "torch"])
    ap.add_argument("--inputs", default="unit", choices=["unit", "standard"])
    ap.add_argument("--schedule", default="constant", choices=["constant", "cosine"])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    if a.inputs == "standard":
        mean, std = xtr.mean(), xtr.std()
        xtr, xte = (xtr - mean) / std, (xte - mean) / std
    xtr, xte = xtr.unsqueeze(1), xte.unsqueeze(1)  # [N, 1, 28, 28]; the MLP flattens
    net = model(a.model)
    if a.init == "kiln":
        kiln_init(net)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = xtr.shape[0]
    total = a.epochs * ((n + a.batch - 1) // a.batch)
    step = 0
    for epoch in range(1, a.epochs + 1):
        net.train()
        perm = torch.randperm(n)
        for i in range(0, n, a.batch):
            idx_ = perm[i:i + a.batch]
            if a.schedule == "cosine":
                for g in opt.param_groups:
                    g["lr"] = a.lr * (1 + math.cos(math.pi * step / total)) / 2
            step += 1
            loss = loss_fn(net(xtr[idx_]), ytr[idx_])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum()) for i in range(0, 10000, 1000))
        print("RESULT model=%s init=%s inputs=%s schedule=%s batch=%d lr=%g seed=%d epoch=%d test_acc=%.4f"
              % (a.model, a.init, a.inputs, a.schedule, a.batch, a.lr, a.seed, epoch, correct / 10000), flush=True)


if __name__ == "__main__":
    main()
