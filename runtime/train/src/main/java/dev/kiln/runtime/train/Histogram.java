package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;

/**
 * A histogram of values as TensorBoard draws it: count, sum, sum of squares, min, max and {@code k}
 * equal-width buckets over [min, max]; bucket i counts the values in [limit(i-1), limit(i)) (the last
 * bucket includes max), and {@code bucketLimits()[i]} is its right edge.
 */
record Histogram(double min, double max, double count, double sum, double sumSquares, double[] bucketLimits,
    double[] buckets) {

  /** The histogram of {@code values} in {@code k} buckets; NaN and infinite values are an error. */
  static Histogram of(double[] values, int k) {
    if (k < 1) throw new KilnException("a histogram needs at least one bucket, got " + k);
    if (values.length == 0) throw new KilnException("a histogram needs at least one value");
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sq = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) throw new KilnException("cannot histogram a non-finite value " + v);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sq += v * v;
    }
    // All values equal: one bucket of zero width at that value.
    int n = max > min ? k : 1;
    double width = (max - min) / n;
    double[] limits = new double[n];
    for (int i = 0; i < n; i++) limits[i] = i == n - 1 ? max : min + (i + 1) * width;
    double[] counts = new double[n];
    for (double v : values) counts[n == 1 ? 0 : Math.min(n - 1, (int) ((v - min) / width))]++;
    return new Histogram(min, max, values.length, sum, sq, limits, counts);
  }
}
