package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradient rules that {@link OpGradientCheckTest} cannot reach from type-rule cases: Where (its
 * condition is BOOL), ReduceMean over a symbolic axis (the checker makes every dim static), a Cast
 * between f64 and f32, and the tie and boundary conventions of Maximum, Minimum, ReduceMax and Clip,
 * which finite differences cannot decide (values by hand, with the loss sum(y * r)).
 */
class MathGradientTest {
  private static final double[] R = {1, 2, 3, 4, 5, 6};

  @Test
  void whereMatchesFiniteDifferences() {
    GraphBuilder g = new GraphBuilder("where_grad");
    Value a = g.input("a", new TensorType(DType.F64, Shape.of(2, 3)));
    Value b = g.input("b", new TensorType(DType.F64, Shape.of(3)));
    Value cond = Ops.constant(g, HostTensor.ofBooleans(new boolean[] {true, false, true, false, false, true}, 2, 3));
    Value y = Ops.where(g, cond, a, b);
    Value loss = g.output("loss", GradientChecker.dot(g, y, HostTensor.ofDoubles(R, 2, 3)));
    Random rnd = new Random(5);
    Map<String, HostTensor> feed = Map.of("a", GradientChecker.randomLike(a, rnd, -2, 2),
        "b", GradientChecker.randomLike(b, rnd, -2, 2));
    assertNull(GradientChecker.check(g.build(), loss, feed));
  }

  @Test
  void reduceMeanOverSymbolicAxisDividesByRuntimeCount() {
    GraphBuilder g = new GraphBuilder("mean_grad");
    Value x = g.input("x", new TensorType(DType.F64, Shape.parse("batch", 3)));
    Value y = Ops.reduceMean(g, x, new long[] {0}, false);
    Value loss = g.output("loss", GradientChecker.dot(g, y, HostTensor.ofDoubles(new double[] {1, 2, 3}, 3)));
    Graph grads = Autodiff.gradients(g.build(), loss, List.of(x), false);
    HostTensor gx = run(grads, Map.of("x", HostTensor.filled(DType.F64, new long[] {4, 3}, 1))).get("grad/x");
    double[] expected = new double[12];
    for (int i = 0; i < 12; i++) expected[i] = (i % 3 + 1) / 4.0;
    assertArrayEquals(expected, gx.toDoubles(), 1e-15);
    // The same graph through the finite-difference checker, with another batch size.
    HostTensor x2 = HostTensor.ofDoubles(new double[] {0.3, -1.2, 0.7, 1.9, -0.4, 0.05}, 2, 3);
    assertNull(GradientChecker.check(g.build(), loss, Map.of("x", x2)));
  }

  @Test
  void castToF32AndBackPassesTheGradientRounded() {
    GraphBuilder g = new GraphBuilder("cast_grad");
    Value x = g.input("x", new TensorType(DType.F64, Shape.of(3)));
    Value x32 = Ops.cast(g, x, DType.F32);
    double[] r = {0.1, -1.0 / 3, 7};
    Value y = Ops.mul(g, x32, Ops.constant(g, HostTensor.fromDoubles(DType.F32, r, 3)));
    Value loss = g.output("loss", Ops.cast(g, Ops.reduceSum(g, y, new long[0], false), DType.F64));
    HostTensor gx = run(Autodiff.gradients(g.build(), loss, List.of(x), false), Map.of("x", HostTensor.ofDoubles(new double[] {1, 2, 3}, 3)))
        .get("grad/x");
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) expected[i] = (float) r[i];
    assertArrayEquals(expected, gx.toDoubles(), 0);
  }

  @Test
  void maximumAndMinimumSplitTiesEvenly() {
    double[] a = {1, 5, 2, 2, -1, 0};
    double[] b = {3, 5, 1, 2, -1, 4};
    // Maximum: a wins at 2, b at 0 and 5, ties at 1, 3, 4 split r in halves.
    assertArrayEquals(new double[] {0, 1, 3, 2, 2.5, 0}, binaryGrads("Maximum", a, b)[0], 0);
    assertArrayEquals(new double[] {1, 1, 0, 2, 2.5, 6}, binaryGrads("Maximum", a, b)[1], 0);
    assertArrayEquals(new double[] {1, 1, 0, 2, 2.5, 6}, binaryGrads("Minimum", a, b)[0], 0);
    assertArrayEquals(new double[] {0, 1, 3, 2, 2.5, 0}, binaryGrads("Minimum", a, b)[1], 0);
  }

  @Test
  void reduceMaxSplitsAmongTies() {
    GraphBuilder g = new GraphBuilder("max_grad");
    Value x = g.input("x", new TensorType(DType.F64, Shape.of(2, 3)));
    Value y = Ops.reduceMax(g, x, new long[] {1}, false);
    Value loss = g.output("loss", GradientChecker.dot(g, y, HostTensor.ofDoubles(new double[] {6, 9}, 2)));
    HostTensor gx = run(Autodiff.gradients(g.build(), loss, List.of(x), false),
        Map.of("x", HostTensor.ofDoubles(new double[] {1, 3, 3, 7, 7, 7}, 2, 3))).get("grad/x");
    assertArrayEquals(new double[] {0, 3, 3, 3, 3, 3}, gx.toDoubles(), 0);
  }

  @Test
  void clipPassesTheGradientOnItsBounds() {
    GraphBuilder g = new GraphBuilder("clip_grad");
    Value x = g.input("x", new TensorType(DType.F64, Shape.of(6)));
    Value y = Ops.clip(g, x, -1.0, 1.0);
    Value loss = g.output("loss", GradientChecker.dot(g, y, HostTensor.ofDoubles(R, 6)));
    HostTensor gx = run(Autodiff.gradients(g.build(), loss, List.of(x), false),
        Map.of("x", HostTensor.ofDoubles(new double[] {-2, -1, 0, 1, 1.5, 0.5}, 6))).get("grad/x");
    assertArrayEquals(new double[] {0, 2, 3, 4, 0, 6}, gx.toDoubles(), 0);
  }

  private static double[][] binaryGrads(String op, double[] a, double[] b) {
    GraphBuilder g = new GraphBuilder("grad_" + op);
    Value va = g.input("a", new TensorType(DType.F64, Shape.of(a.length)));
    Value vb = g.input("b", new TensorType(DType.F64, Shape.of(b.length)));
    Value y = g.apply(OpRegistry.get(op), List.of(va, vb), Attrs.EMPTY).get(0); // ops named by the parameter list
    Value loss = g.output("loss", GradientChecker.dot(g, y, HostTensor.ofDoubles(R, R.length)));
    Map<String, HostTensor> out = run(Autodiff.gradients(g.build(), loss, List.of(va, vb), false),
        Map.of("a", HostTensor.ofDoubles(a, a.length), "b", HostTensor.ofDoubles(b, b.length)));
    return new double[][] {out.get("grad/a").toDoubles(), out.get("grad/b").toDoubles()};
  }

  private static Map<String, HostTensor> run(Graph g, Map<String, HostTensor> feed) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      return m.run(feed);
    }
  }
}
