package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
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
 * SoftmaxCrossEntropy's gradient, which {@link OpGradientCheckTest} skips because its labels are
 * integers: here the labels are constants and the logits are checked against finite differences in f64,
 * first and second order, through both outputs; and the TF lowering (one SparseSoftmaxCrossEntropyWithLogits
 * whose backprop output feeds the VJP) against ONNX Runtime (the decomposition) on a mean loss's gradient.
 */
class SoftmaxCrossEntropyGradientTest {
  private static final HostTensor LABELS = HostTensor.ofLongs(new long[] {2, 0, 3, 3, 1}, 5);

  /** loss = sum(ce · r1) (+ sum(dlogits · r2) when {@code both}) over logits [5, 4] in f64. */
  private static Graph graph(boolean both, Random rnd) {
    GraphBuilder g = new GraphBuilder(both ? "sce_both" : "sce_loss");
    Value x = g.input("logits", new TensorType(DType.F64, Shape.of(5, 4)));
    Value labels = Ops.constant(g, LABELS);
    List<Value> y = Ops.softmaxCrossEntropy(g, x, labels);
    Value loss = GradientChecker.dot(g, y.get(0), GradientChecker.randomLike(y.get(0), rnd, -1, 1));
    if (both) loss = Ops.add(g, loss, GradientChecker.dot(g, y.get(1), GradientChecker.randomLike(y.get(1), rnd, -1, 1)));
    g.output("loss", loss);
    return g.build();
  }

  @Test
  void firstAndSecondOrderMatchFiniteDifferences() {
    for (boolean both : new boolean[] {false, true}) {
      Random rnd = new Random(both ? 2 : 1);
      Graph graph = graph(both, rnd);
      Value loss = graph.outputs().get(0);
      Map<String, HostTensor> feed = Map.of("logits", GradientChecker.randomLike(graph.inputs().get(0), rnd, -3, 3));
      assertNull(GradientChecker.check(graph, loss, feed), "first order, both outputs " + both);
      assertNull(GradientChecker.checkSecondOrder(graph, loss, feed, 7), "second order, both outputs " + both);
    }
  }

  /** The mean loss and its logits gradient: TF's fused kernel and ONNX Runtime's decomposition agree, in f32 and f64. */
  @Test
  void tensorFlowKernelMatchesDecomposition() {
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      GraphBuilder g = new GraphBuilder("sce_mean_" + d);
      Value x = g.input("logits", new TensorType(d, Shape.parse("batch", 4L)));
      Value labels = g.input("labels", new TensorType(DType.I64, Shape.parse("batch")));
      Value ce = Ops.softmaxCrossEntropy(g, x, labels).get(0);
      Value loss = g.output("loss", Ops.reduceMean(g, ce, new long[0], false));
      Graph grads = Autodiff.gradients(g.build(), loss, List.of(x), true);
      Random rnd = new Random(3);
      double[] v = new double[20];
      for (int i = 0; i < v.length; i++) v[i] = -4 + 8 * rnd.nextDouble();
      Map<String, HostTensor> feed = Map.of("logits", HostTensor.fromDoubles(d, v, 5, 4), "labels", LABELS);
      Map<String, HostTensor> tf;
      try (TfModel m = TfModel.load(grads)) {
        tf = m.run(feed);
      }
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
        Map<String, HostTensor> ort = m.run(feed);
        assertEquals(ort.keySet(), tf.keySet());
        for (String k : ort.keySet()) {
          double[] a = ort.get(k).toDoubles();
          double[] b = tf.get(k).toDoubles();
          assertEquals(a.length, b.length, k);
          for (int i = 0; i < a.length; i++) assertTrue(Math.abs(a[i] - b[i]) <= 1e-6, d + " " + k + "[" + i + "]: " + a[i] + " vs " + b[i]);
        }
        assertTrue(ort.get("loss").getDouble(0) > 0, "a positive loss");
      }
    }
  }
}
