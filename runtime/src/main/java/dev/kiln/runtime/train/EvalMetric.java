package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;

/**
 * A metric accumulated over evaluation batches on the host. A stand-in until the project's
 * {@code Metric} type is merged (the trainer only needs reset, update and result).
 */
public interface EvalMetric {
  /** The name reported, e.g. {@code accuracy}. */
  String name();

  /** Forgets previous batches. */
  void reset();

  /** Adds one batch: the model's output and the labels. */
  void update(HostTensor prediction, HostTensor labels);

  /** The value over the batches since the last reset. */
  double result();

  /** Top-1 accuracy of logits or probabilities [n, classes] against integer class labels [n]. */
  static EvalMetric accuracy() {
    return new EvalMetric() {
      private long correct;
      private long seen;

      @Override public String name() { return "accuracy"; }

      @Override public void reset() {
        correct = 0;
        seen = 0;
      }

      @Override public void update(HostTensor prediction, HostTensor labels) {
        long[] s = prediction.shape();
        if (s.length != 2) throw new KilnException("accuracy needs predictions [n, classes], got " + java.util.Arrays.toString(s));
        int n = (int) s[0];
        int c = (int) s[1];
        double[] p = prediction.toDoubles();
        for (int i = 0; i < n; i++) {
          int best = 0;
          for (int k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
          if (best == labels.getLong(i)) correct++;
        }
        seen += n;
      }

      @Override public double result() { return seen == 0 ? Double.NaN : (double) correct / seen; }
    };
  }
}
