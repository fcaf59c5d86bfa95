package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The per-epoch record of a training run. Columns are named as {@link EpochRecord#get} reads them:
 * {@code epoch, loss, <metric>..., val_loss, val_<metric>..., lr, seconds}.
 */
public final class History {
  /** Whether a smaller or a larger value is better. */
  public enum Mode { MIN, MAX }

  private final List<EpochRecord> records = new ArrayList<>();

  /** Appends one epoch. */
  public void add(EpochRecord r) { records.add(r); }

  /** The epochs so far, oldest first. */
  public List<EpochRecord> records() { return Collections.unmodifiableList(records); }

  /** The number of epochs recorded. */
  public int size() { return records.size(); }

  /** The most recent epoch. */
  public EpochRecord last() {
    if (records.isEmpty()) throw new KilnException("the history is empty");
    return records.get(records.size() - 1);
  }

  /** The training metric names, in first-seen order. */
  public List<String> metricNames() {
    Set<String> names = new LinkedHashSet<>();
    for (EpochRecord r : records) {
      names.addAll(r.trainMetrics().keySet());
      names.addAll(r.validationMetrics().keySet());
    }
    return new ArrayList<>(names);
  }

  /** Every column name, in CSV order. */
  public List<String> columns() {
    List<String> cols = new ArrayList<>(List.of("epoch", "loss"));
    List<String> metrics = metricNames();
    cols.addAll(metrics);
    if (records.stream().anyMatch(EpochRecord::hasValidation)) {
      cols.add("val_loss");
      for (String m : metrics) cols.add("val_" + m);
    }
    cols.add("lr");
    cols.add("seconds");
    return cols;
  }

  /** The values of one column over the epochs (NaN where an epoch lacks it). */
  public double[] column(String name) {
    double[] v = new double[records.size()];
    for (int i = 0; i < v.length; i++) v[i] = records.get(i).get(name);
    return v;
  }

  /**
   * The epoch with the best value of {@code column} (e.g. {@code val_loss} with MIN, {@code
   * val_accuracy} with MAX); the earliest on ties; epochs lacking the column are skipped.
   */
  public EpochRecord best(String column, Mode mode) {
    EpochRecord best = null;
    double bestValue = Double.NaN;
    for (EpochRecord r : records) {
      double v = r.get(column);
      if (Double.isNaN(v)) continue;
      if (best == null || (mode == Mode.MIN ? v < bestValue : v > bestValue)) {
        best = r;
        bestValue = v;
      }
    }
    if (best == null) throw new KilnException("no epoch has a value for '" + column + "'; columns: " + columns());
    return best;
  }

  /** A CSV with a header row; empty cells for missing values; numbers in full precision. */
  public String toCsv() {
    List<String> cols = columns();
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
    for (EpochRecord r : records) {
      for (int i = 0; i < cols.size(); i++) {
        if (i > 0) sb.append(',');
        String c = cols.get(i);
        double v = r.get(c);
        if (c.equals("epoch")) sb.append(r.epoch());
        else if (!Double.isNaN(v)) sb.append(v);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A small fixed-width table, one row per epoch. */
  @Override public String toString() {
    List<String> cols = columns();
    StringBuilder sb = new StringBuilder();
    for (String c : cols) sb.append(String.format(Locale.ROOT, "%" + width(c) + "s", c));
    sb.append('\n');
    for (EpochRecord r : records) {
      for (String c : cols) {
        double v = r.get(c);
        String cell = c.equals("epoch") ? String.valueOf(r.epoch())
            : Double.isNaN(v) ? "-"
            : c.equals("lr") ? String.format(Locale.ROOT, "%.3g", v)
            : c.equals("seconds") ? String.format(Locale.ROOT, "%.1f", v)
            : String.format(Locale.ROOT, "%.4f", v);
        sb.append(String.format(Locale.ROOT, "%" + width(c) + "s", cell));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static int width(String column) { return Math.max(9, column.length() + 2); }

  /** Writes learning curves (losses, and metrics when there are any) as a PNG; runs headless. */
  public void plot(Path png) { HistoryPlot.write(this, png); }
}
