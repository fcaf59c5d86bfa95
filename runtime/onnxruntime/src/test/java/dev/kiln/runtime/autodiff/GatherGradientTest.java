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
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gather's and GatherGrad's gradients, which {@link OpGradientCheckTest} skips because their indices are
 * integers: here the indices are constants (with repeats and negative ones) and the float inputs are
 * checked against finite differences in f64, on every axis; and one embedding gradient by hand.
 */
class GatherGradientTest {
  @Test
  void gatherOnEachAxisMatchesFiniteDifferences() {
    long[][] shapes = {{5, 3}, {2, 5, 3}, {2, 3, 5}};
    for (int axis = 0; axis < 3; axis++) {
      long[] shape = shapes[axis];
      HostTensor idx = HostTensor.ofLongs(new long[] {4, 0, -1, 2, 4, 1}, 2, 3);
      GraphBuilder g = new GraphBuilder("gather_grad_" + axis);
      Value x = g.input("x", new TensorType(DType.F64, Shape.of(shape)));
      Value i = Ops.constant(g, idx);
      Value y = Ops.gather(g, x, i, (long) axis);
      Random rnd = new Random(axis);
      Value loss = g.output("loss", GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1)));
      Graph graph = g.build();
      assertNull(GradientChecker.check(graph, loss, Map.of("x", GradientChecker.randomLike(x, rnd, -2, 2))), "axis " + axis);
    }
  }

  @Test
  void gatherGradMatchesFiniteDifferences() {
    GraphBuilder g = new GraphBuilder("gather_grad_grad");
    Value up = g.input("updates", new TensorType(DType.F64, Shape.of(2, 4, 3)));
    Value like = g.input("like", new TensorType(DType.F64, Shape.of(2, 5, 3)));
    Value i = Ops.constant(g, HostTensor.ofInts(new int[] {1, -1, 1, 0}, 4));
    Value y = Ops.gatherGrad(g, up, i, like, 1L);
    Random rnd = new Random(9);
    Value loss = g.output("loss", GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1)));
    Map<String, HostTensor> feed = Map.of("updates", GradientChecker.randomLike(up, rnd, -2, 2),
        "like", GradientChecker.randomLike(like, rnd, -2, 2));
    assertNull(GradientChecker.check(g.build(), loss, feed));
  }

  /** d sum(E[ids] * r) / dE: row v gets the sum of r's rows where ids == v; rows never looked up stay 0. */
  @Test
  void embeddingGradientByHand() {
    GraphBuilder g = new GraphBuilder("embedding_grad");
    Value table = g.input("table", new TensorType(DType.F32, Shape.of(4, 2)));
    Value ids = Ops.constant(g, HostTensor.ofLongs(new long[] {3, 1, 3}, 3));
    Value y = Ops.gather(g, table, ids);
    Value r = Ops.constant(g, HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
    Value loss = g.output("loss", Ops.reduceSum(g, Ops.mul(g, y, r), new long[0], false));
    Graph grads = Autodiff.gradients(g.build(), loss, List.of(table), false);
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      HostTensor got = m.run(Map.of("table", HostTensor.ofFloats(new float[8], 4, 2))).get("grad/table");
      assertArrayEquals(new float[] {0, 0, 3, 4, 0, 0, 1 + 5, 2 + 6}, got.toFloats());
    }
  }
}
