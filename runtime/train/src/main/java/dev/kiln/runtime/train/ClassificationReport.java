package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.util.List;

/**
 * Per-class precision, recall, F1 and support from a confusion matrix (counts[true][predicted]), with macro averages
 * (the unweighted mean over classes) and micro averages (from the summed counts; for single-label classification all
 * three equal the accuracy).
 *
 * <p>NOTE: a ratio with a zero denominator (a class never predicted, or never present) counts as 0, as scikit-learn's
 * default {@code zero_division} does; macro averages include such classes.
 */
public final class ClassificationReport {
  private final long[][] counts;

  private ClassificationReport(long[][] counts) {
    for (long[] row : counts) {
      if (row.length != counts.length) throw new KilnException("a confusion matrix must be square, found a row of " + row.length + " in " + counts.length);
    }
    this.counts = counts;
  }

  /** The report of {@code counts[true][predicted]} (copied). */
  public static ClassificationReport of(long[][] counts) {
    long[][] c = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) c[i] = counts[i].clone();
    return new ClassificationReport(c);
  }

  /** The report of a confusion matrix's counts so far. */
  public static ClassificationReport of(ConfusionMatrix m) { return new ClassificationReport(m.counts()); }

  public int classes() { return counts.length; }

  private long truePositives(int c) { return counts[c][c]; }

  /** Examples of class c. */
  public long support(int c) {
    long s = 0;
    for (long v : counts[c]) s += v;
    return s;
  }

  private long predicted(int c) {
    long s = 0;
    for (long[] row : counts) s += row[c];
    return s;
  }

  private static double ratio(long num, long den) { return den == 0 ? 0 : (double) num / den; }

  /** Of the examples predicted c, the fraction truly c (0 if none predicted). */
  public double precision(int c) { return ratio(truePositives(c), predicted(c)); }

  /** Of the examples of class c, the fraction predicted c (0 if none). */
  public double recall(int c) { return ratio(truePositives(c), support(c)); }

  /** The harmonic mean of precision and recall of class c (0 when both are 0). */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public double macroPrecision() { return mean(this::precision); }

  public double macroRecall() { return mean(this::recall); }

  public double macroF1() { return mean(this::f1); }

  /** Summed true positives over summed predictions (= accuracy for single-label data). */
  public double microPrecision() {
    long tp = 0;
    long all = 0;
    for (int c = 0; c < counts.length; c++) {
      tp += truePositives(c);
      all += predicted(c);
    }
    return ratio(tp, all);
  }

  /** Summed true positives over summed supports (= accuracy for single-label data). */
  public double microRecall() {
    long tp = 0;
    long all = 0;
    for (int c = 0; c < counts.length; c++) {
      tp += truePositives(c);
      all += support(c);
    }
    return ratio(tp, all);
  }

  public double microF1() {
    double p = microPrecision();
    double r = microRecall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  private double mean(java.util.function.IntToDoubleFunction f) {
    double s = 0;
    for (int c = 0; c < counts.length; c++) s += f.applyAsDouble(c);
    return s / counts.length;
  }

  /** A table: one line per class (precision, recall, F1, support), then the macro and micro averages. */
  public String toString(List<String> names) {
    StringBuilder sb = new StringBuilder(String.format("%-16s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
    long total = 0;
    for (int c = 0; c < counts.length; c++) {
      String label = names != null && c < names.size() ? c + " " + names.get(c) : String.valueOf(c);
      sb.append(String.format("%-16.16s %9.4f %9.4f %9.4f %9d%n", label, precision(c), recall(c), f1(c), support(c)));
      total += support(c);
    }
    sb.append(String.format("%-16s %9.4f %9.4f %9.4f %9d%n", "macro avg", macroPrecision(), macroRecall(), macroF1(), total));
    sb.append(String.format("%-16s %9.4f %9.4f %9.4f %9d%n", "micro avg", microPrecision(), microRecall(), microF1(), total));
    return sb.toString();
  }

  @Override public String toString() { return toString(null); }
}
