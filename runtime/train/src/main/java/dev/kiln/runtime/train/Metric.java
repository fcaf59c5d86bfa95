package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;

/**
 * A metric accumulated over batches: the trainer calls {@link #update} once per batch with the
 * model's predictions and the labels, reads {@link #result} at the end of an epoch, then {@link #reset}.
 */
public interface Metric {
  /** Short name used in history columns and progress output, e.g. {@code accuracy}. */
  String name();

  /** Adds one batch: predictions (e.g. logits [N, C]) and labels (e.g. class ids [N]). */
  void update(HostTensor predictions, HostTensor labels);

  /** The value over every batch since the last reset (NaN before any update). */
  double result();

  /** Forgets all batches. */
  void reset();

  /** Fraction of examples whose arg-max logit is the label. */
  static Metric accuracy() { return new Counting("accuracy", 1); }

  /** Fraction of examples whose label is among the {@code k} largest logits. */
  static Metric topK(int k) { return new Counting("top" + k + "_accuracy", k); }

  /** Counts hits over examples; shared by accuracy and top-k. */
  final class Counting implements Metric {
    private final String name;
    private final int k;
    private long hits;
    private long total;

    Counting(String name, int k) {
      if (k < 1) throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
      this.name = name;
      this.k = k;
    }

    @Override public String name() { return name; }

    @Override public void update(HostTensor predictions, HostTensor labels) {
      hits += Metrics.topKHits(predictions, labels, k);
      total += Metrics.rows(predictions, labels);
    }

    @Override public double result() { return total == 0 ? Double.NaN : (double) hits / total; }

    @Override public void reset() {
      hits = 0;
      total = 0;
    }
  }
}
