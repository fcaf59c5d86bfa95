#!/usr/bin/python3
"""PyTorch side of Kiln's TrainBenchmark: the same model (MLP 784-256-256-10, LeNet-5, the small ResNet of
samples/models/.../ResNet.java, or the LSTM classifier of models/RowLstmClassifier.java), softmax cross-entropy on
integer labels, Adam lr 1e-3, batch 128, --epochs epochs (each shuffled anew) over the first --examples
Fashion-MNIST training examples, pixels scaled to [0, 1] as Kiln's FashionMnist does (the same files, the same
examples). Throughput counts every step after the first, over all epochs, as on the Kiln side: no epoch is picked.

Prints one line: RESULT samples_per_s=... median_step_ms=... first_step_end_ms=... peak_rss_mb=...
(first_step_end_ms: wall-clock time, in ms since the epoch, at the end of the first step, from which the caller
takes process start to first step; peak_rss_mb: this process's VmHWM).
With --profile N: runs 10 warm-up steps, then N steps under torch.profiler (CPU), and prints "PROFILE torch ..."
and a table of self CPU time per op (ms per step, share) instead of the RESULT line: the per-op side of
`kiln bench --profile` (docs/benchmarks.md), read against Kiln-TF's FULL_TRACE table of the same model and batch.
Thread settings come from the caller (OPENBLAS_NUM_THREADS in the environment, --threads for torch).
Run with /usr/bin/python3 (Debian's python3-torch), not a pyenv python.
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np
import torch


def model(name):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    if name == "lenet":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if name == "resnet":
        return ResNet()
    if name == "lstm":
        return LstmClassifier()
    raise SystemExit("unknown model " + name)


class BasicBlock(torch.nn.Module):
    """relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)); a strided 1x1 conv + bn shortcut where the shape changes."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        nn = torch.nn
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return torch.relu(h + (x if self.proj is None else self.proj(x)))


class ResNet(torch.nn.Module):
    """Kiln's ResNet sample: stem conv 3x3 -> 16, then 3 stages (16/32/64) of 2 blocks, each stage starting at stride 2."""

    def __init__(self, widths=(16, 32, 64), blocks=2):
        super().__init__()
        nn = torch.nn
        self.stem = nn.Sequential(nn.Conv2d(1, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        layers, cin = [], widths[0]
        for w in widths:
            for b in range(blocks):
                layers.append(BasicBlock(cin, w, 2 if b == 0 else 1))
                cin = w
        self.stages = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        h = self.stages(self.stem(x))
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(h, 1), 1))


class LstmClassifier(torch.nn.Module):
    """Kiln's LSTM classifier: 28 rows of 28 pixels, one batch-first LSTM layer of 128, linear on the last hidden state."""

    def __init__(self, hidden=128):
        super().__init__()
        self.lstm = torch.nn.LSTM(28, hidden, batch_first=True)
        self.fc = torch.nn.Linear(hidden, 10)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


def fashion(folder, n, shape):
    """The first n Fashion-MNIST training images (f32 in [0, 1], reshaped to shape) and labels (i64)."""
    def read(name):
        path = os.path.join(folder, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return f.read()
    images = np.frombuffer(read("train-images-idx3-ubyte"), dtype=np.uint8, offset=16)[:n * 784]
    labels = np.frombuffer(read("train-labels-idx1-ubyte"), dtype=np.uint8, offset=8)[:n]
    if labels.shape[0] < n:
        raise SystemExit("only %d examples in %s" % (labels.shape[0], folder))
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255)).reshape(shape)
    return x, torch.from_numpy(labels.astype(np.int64))


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


WARMUP = 10
TOP = 20  # ops listed one by one; the rest are summed in one line


def profile(net, opt, loss_fn, x, y, a, g):
    """WARMUP plain steps, then a.profile steps under the profiler; prints self CPU time per op per step."""
    from torch.profiler import ProfilerActivity, profile as torch_profile

    def batches():
        while True:
            perm = torch.randperm(a.examples, generator=g)
            for i in range(0, a.examples - a.batch + 1, a.batch):
                yield perm[i:i + a.batch]

    def step(idx):
        loss = loss_fn(net(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        float(loss)

    it = batches()
    for _ in range(WARMUP):
        step(next(it))
    t0 = time.perf_counter()
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(a.profile):
            step(next(it))
    wall = (time.perf_counter() - t0) * 1000 / a.profile
    rows = [(e.key, e.self_cpu_time_total, e.count) for e in prof.key_averages()]
    rows = [r for r in rows if r[1] > 0]
    rows.sort(key=lambda r: -r[1])
    total = sum(r[1] for r in rows)
    print("PROFILE torch %s: %d warm-up steps, %d profiled; wall %.2f ms per profiled step, self CPU time summed %.2f ms per step"
          % (a.model, WARMUP, a.profile, wall, total / 1000 / a.profile))
    print("%-40s %10s %7s %7s" % ("op", "ms/step", "%", "n/step"))
    for name, us, n in rows[:TOP]:
        print("%-40s %10.3f %6.1f%% %7.1f" % (name[:40], us / 1000 / a.profile, 100 * us / total, n / a.profile))
    rest = sum(r[1] for r in rows[TOP:])
    if rows[TOP:]:
        print("%-40s %10.3f %6.1f%%" % ("(%d other ops)" % len(rows[TOP:]), rest / 1000 / a.profile, 100 * rest / total))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp")
    ap.add_argument("--examples", type=int, default=60000)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--profile", type=int, default=0, help="profile N steps after 10 warm-up steps; print the per-op table")
    ap.add_argument("--params", action="store_true", help="print PARAMS <trainable parameter count> and exit")
    a = ap.parse_args()
    if a.params:
        print("PARAMS %d" % sum(p.numel() for p in model(a.model).parameters() if p.requires_grad))
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(1)
    shape = {"mlp": (a.examples, 784), "lstm": (a.examples, 28, 28)}.get(a.model, (a.examples, 1, 28, 28))
    x, y = fashion(a.data, a.examples, shape)
    net = model(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    if a.profile > 0:
        profile(net, opt, loss_fn, x, y, a, g)
        return
    ends = []
    first_step_end_ms = None
    for _ in range(a.epochs):
        perm = torch.randperm(a.examples, generator=g)
        for i in range(0, a.examples, a.batch):
            idx = perm[i:i + a.batch]
            loss = loss_fn(net(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            float(loss)  # Kiln reads the loss back every step too
            ends.append(time.perf_counter())
            if first_step_end_ms is None:
                first_step_end_ms = int(time.time() * 1000)
    examples = a.examples * a.epochs - min(a.batch, a.examples)
    rate = examples / (ends[-1] - ends[0])
    steps = [(b - a_) * 1000 for a_, b in zip(ends, ends[1:])]
    print("RESULT samples_per_s=%.1f median_step_ms=%.3f first_step_end_ms=%d peak_rss_mb=%.1f"
          % (rate, statistics.median(steps), first_step_end_ms, peak_rss_mb()))


if __name__ == "__main__":
    main()
