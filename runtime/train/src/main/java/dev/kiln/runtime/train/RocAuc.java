package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.Arrays;

/**
 * The area under the ROC curve of a binary classifier, accumulated over batches: the probability that a random
 * positive scores above a random negative (ties count one half), computed from the ranks of the scores (the
 * Mann-Whitney U statistic, ties given their average rank).
 *
 * <p>Predictions: one score per example ([N] or [N, 1]: a logit or probability of class 1) or two-class logits
 * [N, 2] (score = logit 1 - logit 0, which orders examples as the softmax probability of class 1 does). Labels: 0 or
 * 1, integer or floating (as binary cross-entropy takes them). The result is NaN until both classes were seen.
 */
public final class RocAuc implements Metric {
  private double[] scores = new double[256];
  private boolean[] positive = new boolean[256];
  private int n;

  @Override public String name() { return "roc_auc"; }

  @Override public void update(HostTensor predictions, HostTensor labels) {
    long[] s = predictions.shape();
    int rows = (int) (s.length == 0 ? 0 : s[0]);
    int width = s.length == 1 ? 1 : s.length == 2 ? (int) s[1] : -1;
    if (!predictions.dtype().isFloating() || (width != 1 && width != 2)) {
      throw new KilnException("ROC-AUC needs floating scores [N], [N, 1] or two-class logits [N, 2], found " + predictions.type());
    }
    if (labels.size() != rows) throw new KilnException("ROC-AUC needs " + rows + " labels, found " + labels.type());
    double[] p = predictions.toDoubles();
    double[] y = labels.toDoubles();
    for (int i = 0; i < rows; i++) {
      if (y[i] != 0 && y[i] != 1) throw new KilnException("ROC-AUC needs binary labels 0 or 1; label " + y[i] + " at index " + i);
      double score = width == 1 ? p[i] : p[2 * i + 1] - p[2 * i];
      if (Double.isNaN(score)) throw new KilnException("ROC-AUC: score of example " + i + " is NaN");
      add(score, y[i] == 1);
    }
  }

  private void add(double score, boolean pos) {
    if (n == scores.length) {
      scores = Arrays.copyOf(scores, 2 * n);
      positive = Arrays.copyOf(positive, 2 * n);
    }
    scores[n] = score;
    positive[n++] = pos;
  }

  @Override public double result() { return auc(Arrays.copyOf(scores, n), Arrays.copyOf(positive, n)); }

  @Override public void reset() { n = 0; }

  /** The ROC-AUC of {@code scores} for examples labelled {@code positive}; NaN without both classes. */
  public static double auc(double[] scores, boolean[] positive) {
    int len = scores.length;
    Integer[] order = new Integer[len];
    for (int i = 0; i < len; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSumPos = 0;
    long pos = 0;
    for (int i = 0; i < len; ) {
      int j = i;
      while (j + 1 < len && scores[order[j + 1]] == scores[order[i]]) j++;
      double avgRank = (i + j) / 2.0 + 1; // 1-based ranks i+1..j+1, averaged over the tie
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = len - pos;
    if (pos == 0 || neg == 0) return Double.NaN;
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
