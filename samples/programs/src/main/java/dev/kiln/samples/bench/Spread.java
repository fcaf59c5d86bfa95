package dev.kiln.samples.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median, min and max of a benchmark's repeated figures: what the benchmark reports instead of a best run. */
record Spread(double median, double min, double max, int count) {
  static Spread of(List<Double> values) {
    if (values.isEmpty()) return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return new Spread(BenchModels.median(v), v[0], v[v.length - 1], v.length);
  }

  /**
   * The per-pair ratios {@code a[i] / b[i]} of the pairs where both sides ran (a pair where one side failed
   * has NaN there and is left out).
   */
  static Spread ofRatios(List<Double> a, List<Double> b) {
    if (a.size() != b.size()) throw new IllegalArgumentException("pairs differ in length: " + a.size() + " and " + b.size());
    List<Double> r = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      double x = a.get(i) / b.get(i);
      if (!Double.isNaN(x) && !Double.isInfinite(x)) r.add(x);
    }
    return of(r);
  }

  /** {@code 1.02x (0.95-1.10, 5 pairs)} style with {@code fmt} for each number. */
  String format(String fmt, String unit) {
    if (count == 0) return "n/a";
    return String.format(Locale.ROOT, fmt + "%s (" + fmt + " to " + fmt + ", n=%d)", median, unit, min, max, count);
  }
}
