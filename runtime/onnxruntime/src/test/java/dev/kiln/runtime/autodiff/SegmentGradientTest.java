package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.onnx.ExportOptions;
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
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The segment reductions' gradients, which {@link OpGradientCheckTest} skips because their ids are integers:
 * here the ids are constants with repeats, a negative id and an empty segment, and the float data is checked
 * against finite differences in f64 (first order; second order for the linear SegmentSum and SegmentMean). And
 * SegmentMax's two ONNX forms (dense below opset 18, ScatterND max from 18) agree on values with ties.
 */
class SegmentGradientTest {
  /** 7 rows into 4 segments: segment 1 is empty, -1 is segment 3. */
  private static final HostTensor IDS = HostTensor.ofLongs(new long[] {0, 2, -1, 2, 0, 3, 2}, 7);

  @Test
  void sumMatchesFiniteDifferences() { check("sum", (g, x) -> Ops.segmentSum(g, x, Ops.constant(g, IDS), like(g)), true); }

  @Test
  void meanMatchesFiniteDifferences() { check("mean", (g, x) -> Ops.segmentMean(g, x, Ops.constant(g, IDS), like(g)), true); }

  @Test
  void maxMatchesFiniteDifferences() { check("max", (g, x) -> Ops.segmentMax(g, x, Ops.constant(g, IDS), like(g)), false); }

  private static Value like(GraphBuilder g) { return Ops.constant(g, HostTensor.ofDoubles(new double[4], 4)); }

  private static void check(String name, BiFunction<GraphBuilder, Value, Value> op, boolean second) {
    for (long[] shape : new long[][] {{7}, {7, 3}, {7, 2, 2}}) {
      GraphBuilder g = new GraphBuilder("segment_" + name + "_" + shape.length);
      Value x = g.input("x", new TensorType(DType.F64, Shape.of(shape)));
      Value y = op.apply(g, x);
      Random rnd = new Random(shape.length);
      Value loss = g.output("loss", GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1)));
      Graph graph = g.build();
      Map<String, HostTensor> feed = Map.of("x", GradientChecker.randomLike(x, rnd, -2, 2));
      assertNull(GradientChecker.check(graph, loss, feed), name + " rank " + shape.length);
      if (second) assertNull(GradientChecker.checkSecondOrder(graph, loss, feed, 7), name + " rank " + shape.length + ", second order");
    }
  }

  /** Ties (rows 0 and 4 of segment 0 equal) and negative values; segment 1 empty gives 0 in every form. */
  @Test
  void maxFormsAgreeAcrossOpsets() {
    GraphBuilder g = new GraphBuilder("segment_max_forms");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(7, 2)));
    Value nodes = g.input("nodes", new TensorType(DType.F32, Shape.of(4)));
    g.output("y", Ops.segmentMax(g, x, Ops.constant(g, IDS), nodes));
    Graph graph = g.build();
    HostTensor in = HostTensor.ofFloats(new float[] {-3, 1, -5, -6, -7, -8, -1, -2, -3, 1, 9, -4, -2, -9}, 7, 2);
    float[] want = {-3, 1, 0, 0, -1, -2, 9, -4};
    for (int opset : new int[] {16, 17, 18, 21}) {
      byte[] model = OnnxExporter.export(graph, ExportOptions.defaults().opset(opset)).toByteArray();
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
        HostTensor y = m.run(Map.of("x", in, "nodes", HostTensor.ofFloats(new float[4], 4))).get("y");
        assertArrayEquals(want, y.toFloats(), "opset " + opset);
      }
    }
  }
}
