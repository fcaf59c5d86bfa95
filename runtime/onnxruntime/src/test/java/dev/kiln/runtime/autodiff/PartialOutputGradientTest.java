package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multi-output ops whose rules take a missing output gradient as null ({@code Vjp.allowingMissing}), so
 * the driver builds no zeros for it: the loss reads every non-empty subset of their outputs, and the
 * gradients still match finite differences in f64 (the harness's check reads all outputs at once).
 */
class PartialOutputGradientTest {
  @Test
  void batchNormTrainingOnEverySubsetOfOutputs() {
    for (int mask = 1; mask < 8; mask++) {
      GraphBuilder g = new GraphBuilder("bn_outputs_" + mask);
      Value x = g.input("x", new TensorType(DType.F64, Shape.of(4, 3, 2)));
      Value scale = g.input("scale", new TensorType(DType.F64, Shape.of(3)));
      Value bias = g.input("bias", new TensorType(DType.F64, Shape.of(3)));
      List<Value> ys = Ops.batchNormTraining(g, x, scale, bias);
      Random rnd = new Random(mask);
      Map<String, HostTensor> feed = new LinkedHashMap<>();
      feed.put("x", GradientChecker.randomLike(x, rnd, -2, 2));
      feed.put("scale", GradientChecker.randomLike(scale, rnd, 0.5, 2));
      feed.put("bias", GradientChecker.randomLike(bias, rnd, -1, 1));
      assertNull(check(g, ys, mask, rnd, feed), "outputs mask " + mask);
    }
  }

  @Test
  void softmaxCrossEntropyOnEverySubsetOfOutputs() {
    for (int mask = 1; mask < 4; mask++) {
      GraphBuilder g = new GraphBuilder("sce_outputs_" + mask);
      Value x = g.input("logits", new TensorType(DType.F64, Shape.of(3, 4)));
      Value labels = Ops.constant(g, HostTensor.ofInts(new int[] {3, 0, 1}, 3));
      List<Value> ys = Ops.softmaxCrossEntropy(g, x, labels);
      Random rnd = new Random(10 + mask);
      assertNull(check(g, ys, mask, rnd, Map.of("logits", GradientChecker.randomLike(x, rnd, -3, 3))), "outputs mask " + mask);
    }
  }

  /** First-order check of loss = sum over the outputs in {@code mask} of (y · r). */
  private static String check(GraphBuilder g, List<Value> ys, int mask, Random rnd, Map<String, HostTensor> feed) {
    Value loss = null;
    for (int k = 0; k < ys.size(); k++) {
      if ((mask & (1 << k)) == 0) continue;
      Value term = GradientChecker.dot(g, ys.get(k), GradientChecker.randomLike(ys.get(k), rnd, -1, 1));
      loss = loss == null ? term : Ops.add(g, loss, term);
    }
    Value l = g.output("loss", loss);
    Graph graph = g.build();
    return GradientChecker.check(graph, l, feed);
  }
}
