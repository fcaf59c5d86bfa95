#!/usr/bin/python3
"""PyTorch side of Kiln's TrainBenchmark: the same MLP 784-256-256-10, loss, SGD and data size.

Prints one line: RESULT samples_per_s=... median_step_ms=... first_step_s=...
Thread settings come from the caller (OPENBLAS_NUM_THREADS in the environment, --threads for torch).
"""
import argparse
import statistics
import time

START = time.perf_counter()

import torch  # noqa: E402  (imported after START so start-up counts, as the JVM's does on the Kiln side)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=60000)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-7)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(1)
    x = torch.rand(a.examples, 784, generator=g)
    y = torch.nn.functional.one_hot(torch.randint(0, 10, (a.examples,), generator=g), 10).float()
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    perm = torch.randperm(a.examples, generator=g)
    ends = []
    epoch_start = time.perf_counter()
    for i in range(0, a.examples, a.batch):
        idx = perm[i:i + a.batch]
        d = model(x[idx]) - y[idx]
        loss = (d.t() @ d).sum()  # the same loss as the Kiln side: sum of the residuals' Gram matrix
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        float(loss)  # Kiln fetches the loss every step too
        ends.append(time.perf_counter())
    epoch = time.perf_counter() - epoch_start
    steps = [(b - a_) * 1000 for a_, b in zip(ends, ends[1:])]
    print("RESULT samples_per_s=%.1f median_step_ms=%.3f first_step_s=%.3f"
          % (a.examples / epoch, statistics.median(steps), ends[0] - START))


if __name__ == "__main__":
    main()
