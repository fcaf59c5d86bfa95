package dev.kiln.runtime.train;

/** The few dense-vector reductions {@link Lbfgs} and {@link StrongWolfe} need, on the host in f64. */
final class Vec {
  private Vec() {}

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) m = Math.max(m, Math.abs(v));
    return m;
  }

  static double sumAbs(double[] a) {
    double s = 0;
    for (double v : a) s += Math.abs(v);
    return s;
  }

  /** a += alpha b. */
  static void axpy(double[] a, double alpha, double[] b) {
    for (int i = 0; i < a.length; i++) a[i] += alpha * b[i];
  }

  static double[] scaled(double[] a, double alpha) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) out[i] = alpha * a[i];
    return out;
  }
}
