package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kiln's L-BFGS on the Rosenbrock function against torch.optim.LBFGS(line_search_fn="strong_wolfe") from the same
 * start (fixtures/lbfgs/make_fixtures.py): every evaluation of the line search (values and count), the iteration
 * losses and the final point. Rosenbrock's curved valley makes the line search extrapolate and zoom, which the
 * model problems (runtime/tensorflow's LbfgsTorchFixtureTest) exercise less.
 */
class LbfgsRosenbrockTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/lbfgs");

  static double[] fixture(String name) { return Npy.read(FIXTURES.resolve(name + ".npy")).toDoubles(); }

  /** Rosenbrock (1 - a)² + 100 (b - a²)², recording each evaluation. */
  static Lbfgs.Objective rosenbrock(List<Double> evals) {
    return (x, g) -> {
      double a = x[0];
      double b = x[1];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      double f = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
      evals.add(f);
      return f;
    };
  }

  static final double[] START = {-1.5, 2};

  private static void check(String c, Lbfgs.Options options) {
    List<Double> evals = new ArrayList<>();
    Lbfgs.Result r = new Lbfgs(options).minimize(rosenbrock(evals), START);
    double[] expected = fixture(c + "_evals");
    assertEquals(expected.length, evals.size(), c + ": evaluations " + evals);
    assertEquals(expected.length, r.evaluations());
    for (int i = 0; i < expected.length; i++) {
      // NOTE: f64 rounding differs (PyTorch differentiates by autograd, this test by formula); over 20 iterations it
      // drifts to ~1e-9 relative, far below any change of the search's decisions.
      assertEquals(expected[i], evals.get(i), 1e-7 * Math.max(1, Math.abs(expected[i])), c + ": evaluation " + i);
    }
    double[] x = fixture(c + "_x");
    assertEquals(x[0], r.x()[0], 1e-7, c + ": final x");
    assertEquals(x[1], r.x()[1], 1e-7, c + ": final y");
    // The loss after k iterations: a fresh run with max_iter = k (as the fixture's runs are).
    double[] losses = fixture(c + "_losses");
    for (int k = 1; k <= 20; k++) {
      Lbfgs.Result rk = new Lbfgs(options.maxIter(k)).minimize(rosenbrock(new ArrayList<>()), START);
      assertEquals(losses[k], rk.loss(), 1e-7 * Math.abs(losses[k]), c + ": loss after " + k + " iterations");
    }
  }

  @Test void matchesTorchWithFullHistory() { check("rosen", Lbfgs.Options.defaults().maxEval(1000)); }

  @Test void matchesTorchWithShortHistoryAndDefaultEvaluationBudget() {
    check("rosen_h3", Lbfgs.Options.defaults().historySize(3));
  }

  @Test void stopsAtOnceAtAStationaryPoint() {
    Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults()).minimize(rosenbrock(new ArrayList<>()), new double[] {1, 1});
    assertEquals(Lbfgs.Stop.GRADIENT_TOLERANCE, r.stop());
    assertEquals(0, r.iterations());
    assertEquals(1, r.evaluations());
  }

  @Test void convergesOnAQuadratic() {
    // f = ½ Σ i x_i²: L-BFGS with exact curvature pairs reaches the minimum to the gradient tolerance.
    Lbfgs.Objective f = (x, g) -> {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        g[i] = (i + 1) * x[i];
        s += 0.5 * (i + 1) * x[i] * x[i];
      }
      return s;
    };
    Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().maxIter(100).maxEval(1000)).minimize(f, new double[] {1, -2, 3, -4, 5});
    assertEquals(0, r.loss(), 1e-10, r.toString());
  }

  @Test void rejectsBadOptions() {
    assertThrows(KilnException.class, () -> Lbfgs.Options.defaults().historySize(0));
    assertThrows(KilnException.class, () -> Lbfgs.Options.defaults().lr(0));
    assertThrows(KilnException.class, () -> Lbfgs.Options.defaults().maxIter(0));
  }
}
