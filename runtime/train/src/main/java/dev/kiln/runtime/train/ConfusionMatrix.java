package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.List;

/**
 * A confusion matrix accumulated over batches: counts[true][predicted], predicted = arg-max of the
 * logits. As a {@link Metric} its result is the accuracy (trace / total); {@link #recall} and
 * {@link #precision} give per-class views, {@link #report} F1 and averages, {@link #writePng} a heat map.
 */
public final class ConfusionMatrix implements Metric {
  private final long[][] counts;

  /** An empty matrix for {@code classes} classes. */
  public ConfusionMatrix(int classes) {
    if (classes < 1) throw new KilnException("a confusion matrix needs at least one class, got " + classes);
    this.counts = new long[classes][classes];
  }

  @Override public String name() { return "confusion_accuracy"; }

  @Override public void update(HostTensor logits, HostTensor labels) {
    int n = Metrics.rows(logits, labels);
    if (logits.shape()[1] != counts.length) {
      throw new KilnException("confusion matrix of " + counts.length + " classes got logits " + logits.type());
    }
    long[] pred = Metrics.argmax(logits);
    for (int i = 0; i < n; i++) counts[Metrics.label(labels, i, counts.length)][(int) pred[i]]++;
  }

  @Override public double result() {
    long trace = 0;
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      trace += counts[i][i];
      for (long c : counts[i]) total += c;
    }
    return total == 0 ? Double.NaN : (double) trace / total;
  }

  @Override public void reset() {
    for (long[] row : counts) java.util.Arrays.fill(row, 0);
  }

  /** A copy of counts[true][predicted]. */
  public long[][] counts() {
    long[][] out = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) out[i] = counts[i].clone();
    return out;
  }

  /** Of the examples of class c, the fraction predicted c (NaN if none). */
  public double recall(int c) {
    long row = 0;
    for (long v : counts[c]) row += v;
    return row == 0 ? Double.NaN : (double) counts[c][c] / row;
  }

  /** Of the examples predicted c, the fraction truly c (NaN if none). */
  public double precision(int c) {
    long col = 0;
    for (long[] row : counts) col += row[c];
    return col == 0 ? Double.NaN : (double) counts[c][c] / col;
  }

  /** The matrix as text, rows = true class, columns = predicted, with optional class names. */
  public String toString(List<String> names) {
    StringBuilder sb = new StringBuilder(String.format("%-14s", "true\\pred"));
    for (int j = 0; j < counts.length; j++) sb.append(String.format("%7d", j));
    sb.append('\n');
    for (int i = 0; i < counts.length; i++) {
      String label = names != null && i < names.size() ? i + " " + names.get(i) : String.valueOf(i);
      sb.append(String.format("%-14.14s", label));
      for (long v : counts[i]) sb.append(String.format("%7d", v));
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override public String toString() { return toString(null); }

  /** Precision, recall and F1 per class, macro and micro averages ({@link ClassificationReport}). */
  public ClassificationReport report() { return ClassificationReport.of(this); }

  /** Writes the matrix as a PNG heat map ({@link ConfusionMatrixPlot}); {@code names} may be null. */
  public void writePng(java.nio.file.Path png, List<String> names) { ConfusionMatrixPlot.write(counts(), names, "Confusion matrix", png); }
}
