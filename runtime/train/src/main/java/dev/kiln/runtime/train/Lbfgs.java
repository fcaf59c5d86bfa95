package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.util.ArrayList;
import java.util.List;

/**
 * L-BFGS: a full-batch quasi-Newton minimiser that keeps the last {@code historySize} correction pairs
 * (s = step, y = change of gradient) and turns the gradient into a direction with the two-loop recursion, scaled by
 * s·y / y·y; the step length comes from a strong-Wolfe line search ({@link StrongWolfe}) or is fixed at {@code lr}.
 * It needs the loss and gradient at arbitrary points ({@link Objective}); {@link FullBatchObjective} gives them for
 * a model on any {@link Backend}.
 *
 * <p>One {@link #minimize} call is one {@code torch.optim.LBFGS.step(closure)}: the same options with the same
 * defaults (lr 1, max_iter 20, max_eval = max_iter * 5 / 4, tolerance_grad 1e-7, tolerance_change 1e-9,
 * history_size 100), the same stopping tests in the same order, the same first step (min(1, 1/|g|₁)·lr) and the
 * same curvature test before a pair enters the history (s·y &gt; 1e-10), so its evaluations follow PyTorch's.
 * The arithmetic is f64 whatever the model's dtype.
 */
public final class Lbfgs {
  /** The loss and gradient at a point: writes ∇f(x) into {@code gradient} and returns f(x). */
  @FunctionalInterface
  public interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * The options, as PyTorch names them. {@code maxEval} 0 means max_iter * 5 / 4; {@code strongWolfe} false makes
   * fixed steps of {@code lr}.
   */
  public record Options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
                        int historySize, boolean strongWolfe) {
    public Options {
      if (!(lr > 0)) throw new KilnException("L-BFGS lr must be > 0, got " + lr);
      if (maxIter < 1) throw new KilnException("L-BFGS max iterations must be >= 1, got " + maxIter);
      if (maxEval < 0) throw new KilnException("L-BFGS max evaluations must be >= 0 (0: max iterations * 5 / 4), got " + maxEval);
      if (historySize < 1) throw new KilnException("L-BFGS history size must be >= 1, got " + historySize);
      if (!(toleranceGrad >= 0) || !(toleranceChange >= 0)) throw new KilnException("L-BFGS tolerances must be >= 0");
    }

    /** PyTorch's defaults with the strong-Wolfe line search. */
    public static Options defaults() { return new Options(1, 20, 0, 1e-7, 1e-9, 100, true); }

    public Options lr(double v) { return new Options(v, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, strongWolfe); }

    public Options maxIter(int v) { return new Options(lr, v, maxEval, toleranceGrad, toleranceChange, historySize, strongWolfe); }

    public Options maxEval(int v) { return new Options(lr, maxIter, v, toleranceGrad, toleranceChange, historySize, strongWolfe); }

    public Options tolerances(double grad, double change) { return new Options(lr, maxIter, maxEval, grad, change, historySize, strongWolfe); }

    public Options historySize(int v) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, v, strongWolfe); }

    public Options strongWolfe(boolean on) { return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, on); }

    /** The evaluation budget: {@code maxEval}, or max_iter * 5 / 4 when 0. */
    public int evaluationBudget() { return maxEval > 0 ? maxEval : maxIter * 5 / 4; }
  }

  /** Why {@link #minimize} stopped. */
  public enum Stop {
    /** max |g| &lt;= tolerance_grad (also at the start: then no iteration runs). */
    GRADIENT_TOLERANCE,
    /** the iteration budget is spent. */
    MAX_ITERATIONS,
    /** the evaluation budget is spent. */
    MAX_EVALUATIONS,
    /** the direction is not a descent direction: g·d &gt; -tolerance_change. */
    NO_DESCENT,
    /** the step moved no coordinate more than tolerance_change. */
    STEP_TOLERANCE,
    /** the loss changed by less than tolerance_change. */
    LOSS_TOLERANCE
  }

  /**
   * The result: the final point and its loss, iterations and evaluations made, the loss at the start and after each
   * iteration ({@code iterations + 1} values), and why it stopped.
   */
  public record Result(double[] x, double loss, int iterations, int evaluations, List<Double> losses, Stop stop) {}

  private final Options options;

  public Lbfgs(Options options) { this.options = options; }

  public Options options() { return options; }

  /** Minimises {@code f} from {@code x0} (not modified) for at most {@code maxIter} iterations. */
  public Result minimize(Objective f, double[] x0) {
    int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    double loss = f.evaluate(x, g);
    int evals = 1;
    List<Double> losses = new ArrayList<>(List.of(loss));
    if (Vec.maxAbs(g) <= options.toleranceGrad()) return new Result(x, loss, 0, evals, losses, Stop.GRADIENT_TOLERANCE);

    List<double[]> ys = new ArrayList<>(); // gradient changes, oldest first
    List<double[]> ss = new ArrayList<>(); // steps
    List<Double> rhos = new ArrayList<>(); // 1 / (y·s)
    double hDiag = 1;
    double[] d = null;
    double[] prevG = null;
    double t = 0;
    int iter = 0;
    Stop stop = Stop.MAX_ITERATIONS;
    boolean lossKnown = true;
    while (iter < options.maxIter()) {
      iter++;
      if (iter == 1) {
        d = Vec.scaled(g, -1);
      } else {
        double[] y = g.clone();
        Vec.axpy(y, -1, prevG);
        double[] s = Vec.scaled(d, t);
        double sy = Vec.dot(y, s);
        if (sy > 1e-10) { // NOTE: pairs without positive curvature would make the inverse Hessian indefinite
          if (ys.size() == options.historySize()) {
            ys.remove(0);
            ss.remove(0);
            rhos.remove(0);
          }
          ys.add(y);
          ss.add(s);
          rhos.add(1 / sy);
          hDiag = sy / Vec.dot(y, y);
        }
        d = twoLoop(g, ys, ss, rhos, hDiag);
      }
      prevG = g.clone();
      double prevLoss = loss;
      t = iter == 1 ? Math.min(1, 1 / Vec.sumAbs(g)) * options.lr() : options.lr();
      double gtd = Vec.dot(g, d);
      if (gtd > -options.toleranceChange()) {
        stop = Stop.NO_DESCENT;
        iter--; // PyTorch counts this iteration but it moves nowhere; report the moves made
        break;
      }
      int lsEvals = 0;
      boolean optimal = false;
      if (options.strongWolfe()) {
        StrongWolfe.Step step = StrongWolfe.search(f, x, t, d, loss, g, gtd);
        t = step.t();
        Vec.axpy(x, t, d);
        loss = step.loss();
        g = step.gradient();
        lsEvals = step.evaluations();
        optimal = Vec.maxAbs(g) <= options.toleranceGrad();
      } else {
        Vec.axpy(x, t, d);
        if (iter != options.maxIter()) { // as PyTorch: the last fixed step is not evaluated
          loss = f.evaluate(x, g);
          lsEvals = 1;
          optimal = Vec.maxAbs(g) <= options.toleranceGrad();
        } else {
          lossKnown = false;
        }
      }
      evals += lsEvals;
      if (lossKnown) losses.add(loss);
      if (iter == options.maxIter()) break;
      if (evals >= options.evaluationBudget()) { stop = Stop.MAX_EVALUATIONS; break; }
      if (optimal) { stop = Stop.GRADIENT_TOLERANCE; break; }
      if (Vec.maxAbs(d) * Math.abs(t) <= options.toleranceChange()) { stop = Stop.STEP_TOLERANCE; break; }
      if (Math.abs(loss - prevLoss) < options.toleranceChange()) { stop = Stop.LOSS_TOLERANCE; break; }
    }
    if (!lossKnown) { // the fixed-step variant's last move: evaluate once so the result's loss is the final point's
      loss = f.evaluate(x, g);
      losses.add(loss);
    }
    return new Result(x, loss, iter, evals, List.copyOf(losses), stop);
  }

  /** -H g by the two-loop recursion over the stored pairs, with initial inverse Hessian hDiag·I. */
  private static double[] twoLoop(double[] g, List<double[]> ys, List<double[]> ss, List<Double> rhos, double hDiag) {
    int m = ys.size();
    double[] alpha = new double[m];
    double[] q = Vec.scaled(g, -1);
    for (int i = m - 1; i >= 0; i--) {
      alpha[i] = Vec.dot(ss.get(i), q) * rhos.get(i);
      Vec.axpy(q, -alpha[i], ys.get(i));
    }
    double[] r = Vec.scaled(q, hDiag);
    for (int i = 0; i < m; i++) {
      double beta = Vec.dot(ys.get(i), r) * rhos.get(i);
      Vec.axpy(r, alpha[i] - beta, ss.get(i));
    }
    return r;
  }
}
