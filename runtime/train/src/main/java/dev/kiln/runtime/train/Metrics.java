package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;

/**
 * Classification metrics computed on host tensors: logits (or probabilities) [N, C] of a floating
 * dtype and integer class labels [N] (i64 usually; any integer dtype is read).
 *
 * <p>NOTE: ties between logits rank the lower class index first (as a stable descending sort, and as
 * numpy's argmax), so top-1 agrees with {@link #argmax}. A NaN logit row never counts as a hit.
 */
public final class Metrics {
  private Metrics() {}

  /** Fraction of rows whose arg-max is the label. */
  public static double accuracy(HostTensor logits, HostTensor labels) {
    return topK(logits, labels, 1);
  }

  /** Fraction of rows whose label is among the {@code k} largest logits. */
  public static double topK(HostTensor logits, HostTensor labels, int k) {
    return (double) topKHits(logits, labels, k) / rows(logits, labels);
  }

  /** Index of the largest value in each row (first one on ties). */
  public static long[] argmax(HostTensor logits) {
    int n = (int) logits.shape()[0];
    int c = classes(logits);
    float[] v = logits.toFloats();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < c; j++) if (v[i * c + j] > v[i * c + best]) best = j;
      out[i] = best;
    }
    return out;
  }

  /** counts[true][predicted] over the rows, predicted = arg-max. */
  public static long[][] confusionMatrix(HostTensor logits, HostTensor labels, int classes) {
    ConfusionMatrix m = new ConfusionMatrix(classes);
    m.update(logits, labels);
    return m.counts();
  }

  /** Number of rows whose label ranks among the first {@code k}. */
  static long topKHits(HostTensor logits, HostTensor labels, int k) {
    int n = rows(logits, labels);
    int c = classes(logits);
    if (k < 1) throw new KilnException("top-k needs k >= 1, got " + k);
    float[] v = logits.toFloats();
    long hits = 0;
    for (int i = 0; i < n; i++) {
      int y = label(labels, i, c);
      float ly = v[i * c + y];
      if (Float.isNaN(ly)) continue;
      int rank = 0; // classes ranked before y
      for (int j = 0; j < c && rank < k; j++) {
        float lj = v[i * c + j];
        if (lj > ly || (lj == ly && j < y) || Float.isNaN(lj)) rank++;
      }
      if (rank < k) hits++;
    }
    return hits;
  }

  /** Checks shapes ([N, C] and N labels) and returns N. */
  static int rows(HostTensor logits, HostTensor labels) {
    if (logits.rank() != 2 || !logits.dtype().isFloating()) {
      throw new KilnException("metrics need floating logits [N, C], found " + logits.type());
    }
    if (!labels.dtype().isInteger() || labels.size() != logits.shape()[0]) {
      throw new KilnException("metrics need " + logits.shape()[0] + " integer labels, found " + labels.type());
    }
    if (logits.shape()[0] == 0) throw new KilnException("metrics need at least one example");
    return (int) logits.shape()[0];
  }

  private static int classes(HostTensor logits) {
    if (logits.rank() != 2) throw new KilnException("metrics need logits [N, C], found " + logits.type());
    return (int) logits.shape()[1];
  }

  /** Label {@code i}, checked to be a class index. */
  static int label(HostTensor labels, int i, int classes) {
    long y = labels.getLong(i);
    if (y < 0 || y >= classes) {
      throw new KilnException("label " + y + " at index " + i + " is out of range 0.." + (classes - 1));
    }
    return (int) y;
  }
}
