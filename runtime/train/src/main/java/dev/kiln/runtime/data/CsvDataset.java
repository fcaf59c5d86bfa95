package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A dataset from a CSV file with a header row: the named label column(s) become the labels and every other
 * column a feature (f32 [N, F], in file order). Feature cells must be numbers; an empty or non-numeric cell
 * is an error naming the file, line, column number and column name. Quoting as {@link CsvReader} reads it.
 */
public final class CsvDataset {
  private CsvDataset() {}

  /**
   * The dataset, its feature column names in order, and the class names (index = label) when a classification
   * label column held names; empty when its labels were integers already or for regression.
   */
  public record Loaded(Dataset data, List<String> featureColumns, List<String> classes) {}

  /**
   * Class labels (i64 [N]) from {@code labelColumn}: integers as they are, or names, numbered in sorted order.
   */
  public static Loaded classification(Path file, String labelColumn) {
    CsvReader.Table t = CsvReader.read(file);
    int li = column(t, labelColumn);
    int n = t.rows().size();
    long[] y = new long[n];
    List<String> classes = List.of();
    boolean integers = t.rows().stream().allMatch(r -> r.get(li).trim().matches("-?\\d{1,18}"));
    if (integers) {
      for (int i = 0; i < n; i++) y[i] = Long.parseLong(t.rows().get(i).get(li).trim());
    } else {
      TreeSet<String> names = new TreeSet<>();
      for (int i = 0; i < n; i++) names.add(label(t, i, li));
      classes = List.copyOf(names);
      for (int i = 0; i < n; i++) y[i] = classes.indexOf(label(t, i, li));
    }
    List<Integer> targets = List.of(li);
    return new Loaded(new Dataset(features(t, targets), HostTensor.ofLongs(y, n)), featureNames(t, targets), classes);
  }

  /** Regression targets (f32 [N, K]) from the {@code targetColumns}, in the order given. */
  public static Loaded regression(Path file, String... targetColumns) {
    if (targetColumns.length == 0) throw new KilnException("regression needs at least one target column");
    CsvReader.Table t = CsvReader.read(file);
    List<Integer> targets = new ArrayList<>();
    for (String c : targetColumns) targets.add(column(t, c));
    int n = t.rows().size();
    float[] y = new float[n * targets.size()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < targets.size(); k++) y[i * targets.size() + k] = number(t, i, targets.get(k));
    }
    return new Loaded(new Dataset(features(t, targets), HostTensor.ofFloats(y, n, targets.size())), featureNames(t, targets), List.of());
  }

  private static HostTensor features(CsvReader.Table t, List<Integer> skip) {
    int n = t.rows().size();
    if (n == 0) throw new KilnException("CSV file " + t.file() + " has a header but no rows");
    List<Integer> cols = new ArrayList<>();
    for (int c = 0; c < t.header().size(); c++) if (!skip.contains(c)) cols.add(c);
    if (cols.isEmpty()) throw new KilnException("CSV file " + t.file() + " has no feature columns besides " + t.header());
    float[] x = new float[n * cols.size()];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < cols.size(); k++) x[i * cols.size() + k] = number(t, i, cols.get(k));
    }
    return HostTensor.ofFloats(x, n, cols.size());
  }

  private static List<String> featureNames(CsvReader.Table t, List<Integer> skip) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < t.header().size(); c++) if (!skip.contains(c)) names.add(t.header().get(c));
    return List.copyOf(names);
  }

  private static int column(CsvReader.Table t, String name) {
    int i = t.header().indexOf(name);
    if (i < 0) throw new KilnException("CSV file " + t.file() + " has no column '" + name + "'; its columns are " + t.header());
    return i;
  }

  private static String label(CsvReader.Table t, int row, int col) {
    String s = t.rows().get(row).get(col).trim();
    if (s.isEmpty()) throw new KilnException(where(t, row, col) + ": empty label");
    return s;
  }

  private static float number(CsvReader.Table t, int row, int col) {
    String s = t.rows().get(row).get(col).trim();
    if (s.isEmpty()) throw new KilnException(where(t, row, col) + ": empty value");
    // Decimal notation only: Java would also take "NaN", "Infinity", hex and a trailing "f".
    if (!DECIMAL.matcher(s).matches()) throw new KilnException(where(t, row, col) + ": '" + s + "' is not a number");
    float v = Float.parseFloat(s);
    if (!Float.isFinite(v)) throw new KilnException(where(t, row, col) + ": " + s + " is out of f32 range");
    return v;
  }

  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private static String where(CsvReader.Table t, int row, int col) {
    return t.file() + ": line " + t.lines().get(row) + ", column " + (col + 1) + " ('" + t.header().get(col) + "')";
  }
}
