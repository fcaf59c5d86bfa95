#!/usr/bin/python3
"""Reads a Kiln TensorBoard log directory with TensorBoard's own loader and prints every tag and value.

Usage: check-tensorboard-events.py LOGDIR

Needs the `tensorboard` Python package (pip install tensorboard; Debian has no package for it), so it is
a manual cross-check, not part of the test command: the committed test TrainingLogsTest reads the same
files with an independent Java reader. Exits 1 when TensorBoard finds no scalars, or a tag Kiln always
writes is missing.
"""
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def main(logdir):
    acc = EventAccumulator(logdir, size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    tags = acc.Tags()
    for tag in sorted(tags["scalars"]):
        print(tag, [(e.step, round(e.value, 6)) for e in acc.Scalars(tag)])
    for tag in sorted(tags["histograms"]):
        for e in acc.Histograms(tag):
            h = e.histogram_value
            print(tag, e.step, "min", h.min, "max", h.max, "num", h.num, "buckets", len(h.bucket))
    missing = [t for t in ("batch/loss", "batch/lr", "epoch/loss", "epoch/lr") if t not in tags["scalars"]]
    if missing:
        print("missing tags:", missing)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
