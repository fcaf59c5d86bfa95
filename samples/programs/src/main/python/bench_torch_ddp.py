#!/usr/bin/python3
"""PyTorch's side of Kiln's Spark scaling figures (docs/spark.md): the same MLP 784-256-256-10 (or LeNet-5),
softmax cross-entropy, Adam lr 1e-3, global batch --batch over the first --examples Fashion-MNIST training examples,
--epochs epochs, trained by --workers processes with torch.distributed's DistributedDataParallel over gloo (the
reference data-parallel implementation: gradients summed in buckets while the backward pass still runs), each
process at one thread, each taking its contiguous slice of every global batch as Kiln's replicas do. With
--workers 1 it is plain single-process training at --threads threads (no DDP), the baseline the ratio is taken
against. With --independent, the --workers processes train alone at batch --batch/--workers without talking to
each other: what this machine gives data-parallel training when summing gradients costs nothing.

Prints one line: RESULT workers=W samples_per_s=... (the last epoch, or --report-epoch, on rank 0's clock; with
--independent the sum over the processes of each one's examples per second in that epoch).
Thread settings: run with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 in the environment for one thread a process.
Run with /usr/bin/python3 (Debian's python3-torch, which has gloo), not a pyenv python; PyTorch must run on
OpenBLAS (libopenblas0-pthread installed), not the reference BLAS.
"""
import argparse
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from bench_torch import fashion, model


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shape(a):
    return (a.examples, 784) if a.model == "mlp" else (a.examples, 1, 28, 28)


def train(rank, a, port, results):
    """One process: rank's slice of every global batch, `epochs` epochs; puts its last epoch's seconds in results."""
    torch.set_num_threads(a.threads)
    if a.flush_denormal:
        torch.set_flush_denormal(True)
    torch.manual_seed(1)
    x, y = fashion(a.data, a.examples, shape(a))
    net = model(a.model)
    distributed = a.workers > 1 and not a.independent
    if distributed:
        dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=rank, world_size=a.workers)
        net = torch.nn.parallel.DistributedDataParallel(net)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(1)
    # Independent processes each step through the data at their own batch; data-parallel ones take the rank-th
    # slice of each global batch (equal slices, so DDP's mean of the ranks' mean losses is the global batch's).
    batch = a.batch // a.workers if a.independent else a.batch
    lo, hi = (0, batch) if a.independent or a.workers == 1 else (rank * batch // a.workers, (rank + 1) * batch // a.workers)
    seconds = []
    for _ in range(a.epochs):
        perm = torch.randperm(a.examples, generator=g)
        if distributed:
            dist.barrier()
        t0 = time.perf_counter()
        for i in range(0, a.examples - batch + 1, batch):
            idx = perm[i:i + batch][lo:hi]
            loss = loss_fn(net(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            float(loss)  # Kiln reads the loss back every step too
        seconds.append(time.perf_counter() - t0)
    if distributed:
        dist.destroy_process_group()
    results[rank] = (a.examples // batch) * batch / seconds[(a.report_epoch or a.epochs) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="mlp", choices=["mlp", "lenet"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--independent", action="store_true", help="processes train alone at batch/workers, no gradient sum")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per process")
    ap.add_argument("--examples", type=int, default=60000)
    ap.add_argument("--batch", type=int, default=128, help="global batch")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True) in every process")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--report-epoch", type=int, default=0,
                    help="the epoch whose rate is printed (1-based; default the last): processes run side by side "
                         "with --independent report a middle one, which all of them spend running")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    if a.batch % a.workers:
        raise SystemExit("--batch %d is not a multiple of --workers %d" % (a.batch, a.workers))
    if a.workers == 1:
        results = {}
        train(0, a, 0, results)
        rate = results[0]
    else:
        with mp.Manager() as manager:
            results = manager.dict()
            mp.spawn(train, args=(a, free_port(), results), nprocs=a.workers, join=True)
            rates = dict(results)
        # Data-parallel: every rank's epoch covers the same global batches; rank 0's clock gives the rate.
        rate = sum(rates.values()) if a.independent else rates[0]
    print("RESULT workers=%d independent=%s threads=%d batch=%d samples_per_s=%.1f"
          % (a.workers, a.independent, a.threads, a.batch, rate))


if __name__ == "__main__":
    main()
