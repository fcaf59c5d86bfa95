package dev.kiln.runtime.train;

/**
 * The strong-Wolfe line search of {@link Lbfgs}: along direction {@code d} from {@code x}, find a step {@code t} with
 * sufficient decrease, f(x + t d) &lt;= f(x) + c1 t g·d, and small curvature, |g(x + t d)·d| &lt;= -c2 g·d. It brackets
 * an interval (extrapolating by cubic interpolation, bounded to [t + 0.01 (t - t_prev), 10 t]), then zooms into it
 * (cubic interpolation, kept at least a tenth of the bracket away from its ends), at most 25 evaluations in all.
 *
 * <p>NOTE: this follows PyTorch's {@code torch.optim.lbfgs._strong_wolfe} (itself a port of Torch7's
 * {@code lswolfe.lua} / minFunc) decision for decision, with its constants: c1 = 1e-4, c2 = 0.9, bracket width
 * tolerance 1e-9 (relative to max |d|, not the optimizer's tolerance_change), and a bracketing phase that only compares
 * f with the previous trial from the third trial on. Matching it exactly is what lets Kiln's trajectories be checked
 * against PyTorch's point by point.
 */
final class StrongWolfe {
  static final double C1 = 1e-4;
  static final double C2 = 0.9;
  static final double TOLERANCE_CHANGE = 1e-9;
  static final int MAX_LS = 25;

  private StrongWolfe() {}

  /** The accepted step: loss and gradient there, the step length, and how many evaluations the search made. */
  record Step(double loss, double[] gradient, double t, int evaluations) {}

  /** One evaluation along the line: t, f(x + t d), its gradient and the directional derivative g·d. */
  private record Point(double t, double f, double[] g, double gtd) {}

  static Step search(Lbfgs.Objective obj, double[] x, double t, double[] d, double f, double[] g, double gtd) {
    double dNorm = Vec.maxAbs(d);
    int evals = 0;
    Point prev = new Point(0, f, g.clone(), gtd);
    Point cur = evaluate(obj, x, t, d);
    evals++;
    Point[] bracket = null; // [lo-or-hi, ...] in t order of discovery, as PyTorch keeps it
    boolean done = false;
    int lsIter = 0;
    while (lsIter < MAX_LS) {
      if (cur.f > f + C1 * cur.t * gtd || (lsIter > 1 && cur.f >= prev.f)) {
        bracket = new Point[] {prev, cur};
        break;
      }
      if (Math.abs(cur.gtd) <= -C2 * gtd) {
        bracket = new Point[] {cur};
        done = true;
        break;
      }
      if (cur.gtd >= 0) {
        bracket = new Point[] {prev, cur};
        break;
      }
      // Extrapolate: the cubic's minimiser, at least 1% beyond t and at most 10 t.
      double minStep = cur.t + 0.01 * (cur.t - prev.t);
      double maxStep = cur.t * 10;
      double next = cubicMinimum(prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd, minStep, maxStep);
      prev = cur;
      cur = evaluate(obj, x, next, d);
      evals++;
      lsIter++;
    }
    if (lsIter == MAX_LS) bracket = new Point[] {new Point(0, f, g, Double.NaN), cur};

    if (bracket.length == 1) return new Step(bracket[0].f, bracket[0].g, bracket[0].t, evals);
    // Zoom: shrink the bracket until a point satisfies both conditions.
    boolean insufficientProgress = false;
    int low = bracket[0].f <= bracket[1].f ? 0 : 1;
    int high = 1 - low;
    while (!done && lsIter < MAX_LS) {
      if (Math.abs(bracket[1].t - bracket[0].t) * dNorm < TOLERANCE_CHANGE) break;
      Point a = bracket[0];
      Point b = bracket[1];
      double lo = Math.min(a.t, b.t);
      double hi = Math.max(a.t, b.t);
      double next = cubicMinimum(a.t, a.f, a.gtd, b.t, b.f, b.gtd, lo, hi);
      // A trial within a tenth of the bracket from an end makes little progress: the second time in a row (or at
      // an end), move it to a tenth of the bracket away from the nearer end.
      double eps = 0.1 * (hi - lo);
      if (Math.min(hi - next, next - lo) < eps) {
        if (insufficientProgress || next >= hi || next <= lo) {
          next = Math.abs(next - hi) < Math.abs(next - lo) ? hi - eps : lo + eps;
          insufficientProgress = false;
        } else {
          insufficientProgress = true;
        }
      } else {
        insufficientProgress = false;
      }
      Point p = evaluate(obj, x, next, d);
      evals++;
      lsIter++;
      if (p.f > f + C1 * p.t * gtd || p.f >= bracket[low].f) {
        bracket[high] = p; // not a sufficient decrease, or not below the low end: the new high end
        low = bracket[0].f <= bracket[1].f ? 0 : 1;
        high = 1 - low;
      } else {
        if (Math.abs(p.gtd) <= -C2 * gtd) {
          done = true;
        } else if (p.gtd * (bracket[high].t - bracket[low].t) >= 0) {
          bracket[high] = bracket[low]; // the minimum lies on the other side of p: the old low end becomes high
        }
        bracket[low] = p;
      }
    }
    Point best = bracket[low];
    return new Step(best.f, best.g, best.t, evals);
  }

  private static Point evaluate(Lbfgs.Objective obj, double[] x, double t, double[] d) {
    double[] at = new double[x.length];
    for (int i = 0; i < x.length; i++) at[i] = x[i] + t * d[i];
    double[] g = new double[x.length];
    double f = obj.evaluate(at, g);
    return new Point(t, f, g, Vec.dot(g, d));
  }

  /**
   * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to [lo, hi]; the middle of
   * [lo, hi] when the cubic has no minimum (negative discriminant).
   */
  static double cubicMinimum(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2Square = d1 * d1 - g1 * g2;
    if (d2Square >= 0) {
      double d2 = Math.sqrt(d2Square);
      double minPos = x1 <= x2
          ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
          : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
      return Math.min(Math.max(minPos, lo), hi);
    }
    return (lo + hi) / 2;
  }
}
