package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Gradients through control flow against central finite differences, in f64. The finite differences run the
 * forward graph as exported, i.e. ONNX Runtime's own If / Loop / Scan kernels over the subgraphs; the gradients come
 * from autodiff, which differentiates the ops' decompositions (If: both branches selected with Where, so the gradient
 * is the taken branch's; Loop and Scan: unrolled over their static trip count / length). So the two sides share no
 * code path for the control flow itself.
 */
class ControlFlowGradientTest {
  private static final TensorType X = TensorType.of(DType.F64, 2, 3);
  private static final TensorType V = TensorType.of(DType.F64, 3);

  private static Graph body(String name, List<TensorType> in, BiFunction<GraphBuilder, List<Value>, List<Value>> f) {
    GraphBuilder g = new GraphBuilder(name);
    List<Value> vs = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) vs.add(g.input(name + ".in" + i, in.get(i)));
    for (Value v : f.apply(g, vs)) g.output(v);
    return g.build();
  }

  @Test
  void ifTakesTheGradientOfTheBranchItRuns() {
    Graph then = body("then", List.of(X, V), (g, in) -> List.of(Ops.mul(g, Ops.mul(g, in.get(0), in.get(0)), in.get(1))));
    Graph other = body("else", List.of(X, V), (g, in) -> List.of(Ops.sin(g, Ops.add(g, in.get(0), in.get(1)))));
    for (boolean cond : new boolean[] {true, false}) {
      GraphBuilder g = new GraphBuilder("if_grad");
      Value c = g.input("cond", TensorType.of(DType.BOOL));
      Value x = g.input("x", X);
      Value w = g.input("w", V);
      Value y = Ops.if_(g, c, List.of(x, w), then, other).get(0);
      Random rnd = new Random(7);
      Value loss = g.output("loss", GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1)));
      Map<String, HostTensor> feed = new LinkedHashMap<>();
      feed.put("cond", HostTensor.ofBooleans(new boolean[] {cond}));
      feed.put("x", GradientChecker.randomLike(x, rnd, -2, 2));
      feed.put("w", GradientChecker.randomLike(w, rnd, -2, 2));
      assertNull(check(g.build(), loss, List.of(x, w), feed), "cond = " + cond);
    }
  }

  @Test
  void loopWithAStaticTripCountDifferentiatesItsUnrolledForm() {
    TensorType i64 = TensorType.of(DType.I64);
    TensorType bool = TensorType.of(DType.BOOL);
    // (i, cond, y, w) -> (cond, tanh(y * w + i), y * y)
    Graph step = body("loop_body", List.of(i64, bool, V, V), (g, in) -> {
      Value i = Ops.cast(g, in.get(0), DType.F64);
      Value next = Ops.tanh(g, Ops.add(g, Ops.mul(g, in.get(2), in.get(3)), i));
      return List.of(Ops.identity(g, in.get(1)), next, Ops.mul(g, in.get(2), in.get(2)));
    });
    GraphBuilder g = new GraphBuilder("loop_grad");
    Value y0 = g.input("y0", V);
    Value w = g.input("w", V);
    Value trips = Ops.constant(g, HostTensor.ofLongs(new long[] {3}));
    Value yes = Ops.constant(g, HostTensor.ofBooleans(new boolean[] {true}));
    List<Value> outs = Ops.loop(g, trips, yes, List.of(y0, w), step, 1);
    assertEquals(2, outs.size());
    Random rnd = new Random(11);
    Value l1 = GradientChecker.dot(g, outs.get(0), GradientChecker.randomLike(outs.get(0), rnd, -1, 1));
    Value scan = Ops.reshape(g, outs.get(1), new long[] {9});  // 3 iterations x 3: static for the random weights
    Value l2 = GradientChecker.dot(g, scan, GradientChecker.randomLike(scan, rnd, -1, 1));
    Value loss = g.output("loss", Ops.add(g, l1, l2));
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    feed.put("y0", GradientChecker.randomLike(y0, rnd, -1, 1));
    feed.put("w", GradientChecker.randomLike(w, rnd, -1, 1));
    assertNull(check(g.build(), loss, List.of(y0, w), feed));
  }

  @Test
  void scanReversedWithACapturedWeight() {
    TensorType row = TensorType.of(DType.F64, 2);
    Graph step = body("scan_body", List.of(row, row, row), (g, in) -> {
      Value s = Ops.add(g, Ops.mul(g, in.get(0), in.get(2)), Ops.sin(g, in.get(1)));
      return List.of(s, Ops.tanh(g, s));
    });
    GraphBuilder g = new GraphBuilder("scan_grad");
    Value s0 = g.input("s0", row);
    Value xs = g.input("xs", TensorType.of(DType.F64, 2, 4));
    Value w = g.input("w", row);
    List<Value> outs = Ops.scan(g, List.of(s0, xs, w), step, 1, 1, new long[] {1}, new long[] {1}, new long[] {0}, new long[0]);
    Random rnd = new Random(5);
    Value loss = g.output("loss", Ops.add(g,
        GradientChecker.dot(g, outs.get(0), GradientChecker.randomLike(outs.get(0), rnd, -1, 1)),
        GradientChecker.dot(g, outs.get(1), GradientChecker.randomLike(outs.get(1), rnd, -1, 1))));
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    feed.put("s0", GradientChecker.randomLike(s0, rnd, -1, 1));
    feed.put("xs", GradientChecker.randomLike(xs, rnd, -1, 1));
    feed.put("w", GradientChecker.randomLike(w, rnd, -1, 1));
    assertNull(check(g.build(), loss, List.of(s0, xs, w), feed));
  }

  /** Null when autodiff's gradients of {@code loss} match finite differences of the natively exported forward graph. */
  private static String check(Graph forward, Value loss, List<Value> wrt, Map<String, HostTensor> feed) {
    byte[] native_ = OnnxExporter.export(forward).toByteArray();
    List<String> ops = OnnxExporter.opTypes(OnnxExporter.export(forward));
    assertTrue(ops.contains("If") || ops.contains("Loop") || ops.contains("Scan"), "the forward graph keeps its control flow: " + ops);
    Graph grads = Autodiff.gradients(forward, loss, wrt, false);
    Map<String, HostTensor> analytic;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      analytic = m.run(feed);
    }
    double eps = 1e-6;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(native_)) {
      for (int k = 0; k < wrt.size(); k++) {
        String name = wrt.get(k).name();
        HostTensor g = analytic.get(grads.outputs().get(1 + k).name());
        HostTensor x0 = feed.get(name);
        for (int i = 0; i < x0.size(); i++) {
          double fd = (lossAt(m, loss, feed, name, i, eps) - lossAt(m, loss, feed, name, i, -eps)) / (2 * eps);
          double an = g.getDouble(i);
          if (Math.abs(an - fd) > 1e-7 + 1e-5 * Math.max(Math.abs(an), Math.abs(fd))) {
            return "d loss / d " + name + "[" + i + "]: autodiff " + an + ", finite differences " + fd;
          }
        }
      }
    }
    return null;
  }

  private static double lossAt(OnnxRuntimeModel m, Value loss, Map<String, HostTensor> feed, String input, int i, double d) {
    Map<String, HostTensor> f = new LinkedHashMap<>(feed);
    HostTensor x = feed.get(input);
    double[] v = new double[(int) x.size()];
    for (int k = 0; k < v.length; k++) v[k] = x.getDouble(k);
    v[i] += d;
    f.put(input, HostTensor.fromDoubles(x.dtype(), v, x.shape()));
    return m.run(f).get(loss.name()).getDouble(0);
  }
}
