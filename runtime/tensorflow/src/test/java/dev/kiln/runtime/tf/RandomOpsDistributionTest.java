package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The random op RandomUniformLike checked by distribution on both back ends, since its values cannot be compared
 * with fixed numbers or across generators: on 10^5 draws from [low, high) the bounds hold, the mean and the variance
 * are within 5 standard errors of (low + high) / 2 and (high - low)^2 / 12, a seeded graph gives the same values in
 * a new session, another seed different ones, and an unseeded graph different ones on each run of a session.
 */
class RandomOpsDistributionTest {
  static final int N = 100_000;
  static final double LOW = -1.5;
  static final double HIGH = 2.5;

  private static Graph graph(boolean seeded, double seed) {
    GraphBuilder g = new GraphBuilder("uniform");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(N)));
    g.output("u", Ops.randomUniformLike(g, x, DType.F32, LOW, HIGH, seeded, seed));
    return g.build();
  }

  private static final Map<String, HostTensor> FEED = Map.of("x", HostTensor.ofFloats(new float[N], N));

  private static HostTensor onTf(Graph g) {
    try (TfModel m = TfModel.load(g)) {
      return m.run(FEED).get("u");
    }
  }

  private static HostTensor onOrt(Graph g) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      return m.run(FEED).get("u");
    }
  }

  /** Two runs of the unseeded graph in one session. */
  private static HostTensor[] twiceOnTf(Graph g) {
    try (TfModel m = TfModel.load(g)) {
      return new HostTensor[] {m.run(FEED).get("u"), m.run(FEED).get("u")};
    }
  }

  private static HostTensor[] twiceOnOrt(Graph g) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      return new HostTensor[] {m.run(FEED).get("u"), m.run(FEED).get("u")};
    }
  }

  @Test
  void tensorFlowDrawsUniformly() {
    check(RandomOpsDistributionTest::onTf);
    HostTensor[] two = twiceOnTf(graph(false, 0));
    assertNotEquals(two[0].buffer(), two[1].buffer(), "an unseeded graph draws anew on each run");
  }

  /** NOTE: ONNX Runtime's unseeded generator starts from the same state in every session; it advances within one. */
  @Test
  void onnxRuntimeDrawsUniformly() {
    check(RandomOpsDistributionTest::onOrt);
    HostTensor[] two = twiceOnOrt(graph(false, 0));
    assertNotEquals(two[0].buffer(), two[1].buffer(), "an unseeded graph draws anew on each run");
  }

  private static void check(Function<Graph, HostTensor> run) {
    HostTensor u = run.apply(graph(true, 7));
    assertEquals(DType.F32, u.dtype());
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < N; i++) {
      double v = u.getDouble(i);
      assertTrue(v >= LOW && v < HIGH, "draw " + i + " = " + v + " outside [" + LOW + ", " + HIGH + ")");
      sum += v;
      sq += v * v;
    }
    double mean = sum / N;
    double var = sq / N - mean * mean;
    double width = HIGH - LOW;
    double wantVar = width * width / 12;
    // Standard errors: of the mean sqrt(var / N); of the variance sqrt((mu4 - var^2) / N), mu4 = width^4 / 80.
    double seMean = Math.sqrt(wantVar / N);
    double seVar = Math.sqrt((Math.pow(width, 4) / 80 - wantVar * wantVar) / N);
    assertEquals((LOW + HIGH) / 2, mean, 5 * seMean, "mean of " + N + " draws");
    assertEquals(wantVar, var, 5 * seVar, "variance of " + N + " draws");
    assertEquals(u.buffer(), run.apply(graph(true, 7)).buffer(), "the same seed in a new session gives the same draws");
    assertNotEquals(u.buffer(), run.apply(graph(true, 8)).buffer(), "another seed gives other draws");
  }
}
