package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradients of the ops whose shape, axes, repeats or slice bounds are int64 tensors (DynamicReshape, Expand,
 * DynamicReduceSum, DynamicTile, DynamicSlice, DynamicUnsqueeze, DynamicSqueeze), which
 * {@link OpGradientCheckTest} skips because of those integer inputs: here the operands are Constant nodes
 * and the float input is checked against central finite differences in f64.
 */
class DynamicShapeGradientTest {
  private record Case(String label, String op, long[] xShape, List<HostTensor> operands, Attrs attrs, long[] yShape) {}

  private static HostTensor longs(long... v) { return HostTensor.ofLongs(v, v.length); }

  private static List<Case> cases() {
    return List.of(
        new Case("reshape 0 and -1", "DynamicReshape", new long[] {2, 3, 4}, List.of(longs(0, -1)), Attrs.EMPTY, new long[] {2, 12}),
        new Case("expand both ways", "Expand", new long[] {3, 1}, List.of(longs(2, 1, 4)), Attrs.EMPTY, new long[] {2, 3, 4}),
        new Case("sum axes -1, 0", "DynamicReduceSum", new long[] {3, 4, 2}, List.of(longs(-1, 0)), Attrs.of("keepdims", false),
            new long[] {4}),
        new Case("sum axis 1 kept", "DynamicReduceSum", new long[] {3, 4, 2}, List.of(longs(1)), Attrs.EMPTY, new long[] {3, 1, 2}),
        new Case("sum of all (empty axes)", "DynamicReduceSum", new long[] {3, 2}, List.of(longs()), Attrs.of("keepdims", false),
            new long[0]),
        new Case("tile 2 x 3", "DynamicTile", new long[] {2, 3}, List.of(longs(2, 3)), Attrs.EMPTY, new long[] {4, 9}),
        new Case("slice backwards with steps", "DynamicSlice", new long[] {4, 5},
            List.of(longs(3, -1), longs(0, -6), longs(0, 1), longs(-1, -2)), Attrs.EMPTY, new long[] {3, 3}),
        new Case("slice default axes", "DynamicSlice", new long[] {4, 5}, List.of(longs(1), longs(100)), Attrs.EMPTY,
            new long[] {3, 5}),
        new Case("unsqueeze 0 and -1", "DynamicUnsqueeze", new long[] {2, 3}, List.of(longs(0, -1)), Attrs.EMPTY,
            new long[] {1, 2, 3, 1}),
        new Case("squeeze 2", "DynamicSqueeze", new long[] {1, 3, 1}, List.of(longs(2)), Attrs.EMPTY, new long[] {1, 3}));
  }

  @TestFactory
  Stream<DynamicTest> matchFiniteDifferences() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.op + ": " + c.label, () -> {
      GraphBuilder g = new GraphBuilder("grad_" + c.op);
      Value x = g.input("x", new TensorType(DType.F64, Shape.of(c.xShape)));
      List<Value> in = new ArrayList<>(List.of(x));
      for (HostTensor t : c.operands) in.add(Ops.constant(g, t));
      Value y = g.apply(OpRegistry.get(c.op), in, c.attrs).get(0); // ops named by the case table
      Random rnd = new Random(c.label.hashCode());
      Value loss = g.output("loss", GradientChecker.dot(g, y, uniform(c.yShape, rnd, -1, 1)));
      assertNull(GradientChecker.check(g.build(), loss, Map.of("x", uniform(c.xShape, rnd, -2, 2))), c.label);
    }));
  }

  /** d sum(tile(x, [3]) * r) / dx by hand, on both back ends: x[i] gets r[i] + r[i + 2] + r[i + 4]. */
  @Test
  void tileGradientByHandOnBothBackEnds() {
    GraphBuilder g = new GraphBuilder("tile_grad");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(2)));
    Value y = Ops.dynamicTile(g, x, Ops.constant(g, longs(3)));
    Value r = Ops.constant(g, HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 6));
    Value loss = g.output("loss", Ops.reduceSum(g, Ops.mul(g, y, r), new long[0], false));
    Graph grads = Autodiff.gradients(g.build(), loss, List.of(x), false);
    Map<String, HostTensor> feed = Map.of("x", HostTensor.ofFloats(new float[] {7, 8}, 2));
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      assertArrayEquals(new float[] {1 + 3 + 5, 2 + 4 + 6}, m.run(feed).get("grad/x").toFloats());
    }
    try (TfModel m = TfModel.load(grads)) {
      assertArrayEquals(new float[] {1 + 3 + 5, 2 + 4 + 6}, m.run(feed).get("grad/x").toFloats());
    }
  }

  private static HostTensor uniform(long[] shape, Random rnd, double lo, double hi) {
    double[] d = new double[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rnd.nextDouble();
    return HostTensor.fromDoubles(DType.F64, d, shape);
  }
}
