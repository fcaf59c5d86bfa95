#!/usr/bin/python3
"""PyTorch side of Kiln's TrainBenchmark: the same model (MLP 784-256-256-10 or LeNet-5), softmax
cross-entropy on integer labels, Adam lr 1e-3, batch 128, one epoch over preloaded synthetic data.

Prints one line: RESULT samples_per_s=... median_step_ms=... first_step_s=...
Thread settings come from the caller (OPENBLAS_NUM_THREADS in the environment, --threads for torch).
"""
import argparse
import statistics
import time

START = time.perf_counter()

import torch  # noqa: E402  (imported after START so its start-up counts, as model building does on the Kiln side)


def model(name):
    nn = torch.nn
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    if name == "lenet":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    raise SystemExit("unknown model " + name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp")
    ap.add_argument("--examples", type=int, default=60000)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(1)
    shape = (a.examples, 784) if a.model == "mlp" else (a.examples, 1, 28, 28)
    x = torch.rand(*shape, generator=g)
    y = torch.randint(0, 10, (a.examples,), generator=g)
    net = model(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    perm = torch.randperm(a.examples, generator=g)
    ends = []
    for i in range(0, a.examples, a.batch):
        idx = perm[i:i + a.batch]
        loss = loss_fn(net(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        float(loss)  # Kiln fetches the loss every step too
        ends.append(time.perf_counter())
    # Steady-state throughput: the examples after the first step over the time after it, as on the Kiln side.
    rate = (a.examples - a.batch) / (ends[-1] - ends[0])
    steps = [(b - a_) * 1000 for a_, b in zip(ends, ends[1:])]
    print("RESULT samples_per_s=%.1f median_step_ms=%.3f first_step_s=%.3f"
          % (rate, statistics.median(steps), ends[0] - START))


if __name__ == "__main__":
    main()
