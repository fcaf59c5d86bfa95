package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LayerNormalization's VJP through its Mean and InvStdDev outputs, which OpGradientCheckTest skips (they are f32,
 * ONNX's stash type, whatever x is): the loss uses all three outputs; checked in f32 against finite differences
 * with the f32 step and tolerances.
 */
class LayerNormStatsGradientTest {
  @Test
  void gradientThroughMeanAndInvStdDevMatchesFiniteDifferences() {
    Random rnd = new Random(7);
    GraphBuilder g = new GraphBuilder("ln_stats");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(2, 3, 4)));
    Value scale = g.input("scale", new TensorType(DType.F32, Shape.of(3, 4)));
    Value bias = g.input("bias", new TensorType(DType.F32, Shape.of(3, 4)));
    List<Value> ys = Ops.layerNormalization(g, x, scale, bias, 1L, 1.0E-5, 1L, true);
    Value loss = null;
    for (Value y : ys) {
      Value term = GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1));
      loss = loss == null ? term : Ops.add(g, loss, term);
    }
    Value l = g.output("loss", loss);
    Map<String, HostTensor> feed = Map.of("x", GradientChecker.randomLike(x, rnd, -2, 2),
        "scale", GradientChecker.randomLike(scale, rnd, 0.5, 2), "bias", GradientChecker.randomLike(bias, rnd, -1, 1));
    assertNull(GradientChecker.check(g.build(), l, feed, OpGradientCheckTest.F32_EPS, OpGradientCheckTest.F32_RTOL, OpGradientCheckTest.F32_ATOL));
  }
}
