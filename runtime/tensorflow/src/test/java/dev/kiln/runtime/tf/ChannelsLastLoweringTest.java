package dev.kiln.runtime.tf;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * The TF lowering keeps activations channels-last between window ops (conv, pooling, batch norm and the
 * pointwise ops between them, and their gradients): a residual CNN's forward and gradient graphs give
 * the same numbers on TensorFlow as in ONNX Runtime (which runs the plain NCHW export) and as TF with
 * every window op transposing in and out ({@code kiln.tf.channelsLast=false}); its evaluation graph
 * transposes activations only where the layout must change.
 */
class ChannelsLastLoweringTest {
  /** conv, relu, max pool, [batch norm,] conv, residual add, sigmoid, avg pool, global avg pool, linear. */
  private static Model residualCnn(boolean batchNorm) {
    return Model.build("residual_cnn", 5, m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 3, 12, 12);
      Tensor<F32> a = x.conv2d("c1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2);
      Tensor<F32> n = batchNorm ? a.batchNorm("bn") : a;
      Tensor<F32> b = n.conv2d("c2", Conv.out(8).kernel(3).padding(Padding.explicit(1)).bias(false));
      Tensor<F32> r = b.add(a).sigmoid().avgPool2d(2);
      Tensor<F32> y = r.globalAvgPool().flatten().linear("fc", 4);
      m.output("logits", y);
      return y.mul(y).sum(false);
    });
  }

  /** The loss, the logits and every trainable parameter's gradient. */
  private static Graph gradients(Model model) {
    Graph g = model.graph();
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    return Autodiff.gradients(g, loss, g.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList(), true);
  }

  private static Map<String, HostTensor> runOnTf(Graph g, Map<String, HostTensor> feed, boolean channelsLast) {
    String before = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, String.valueOf(channelsLast));
    try (TfModel m = TfModel.load(g)) {
      return m.run(feed);
    } finally {
      if (before == null) System.clearProperty(PROPERTY);
      else System.setProperty(PROPERTY, before);
    }
  }

  private static final String PROPERTY = "kiln.tf.channelsLast";

  @Test
  void gradientsAgreeWithOnnxRuntime() throws Exception {
    Graph grads = gradients(residualCnn(false));
    Map<String, HostTensor> feed = Map.of("image", images(5, 7));
    Map<String, HostTensor> tf = runOnTf(grads, feed, true);
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      Map<String, HostTensor> want = ort.run(feed);
      for (Value v : grads.outputs()) assertNull(Close.compare(want.get(v.name()), tf.get(v.name()), 1e-4, 1e-5), v.name());
      assertEquals(2 + 5, grads.outputs().size(), "loss, logits and 5 parameter gradients: " + grads.outputs());
    }
  }

  /**
   * Batch norm in training form (batch statistics) exports to ONNX in its inference form, so here the
   * reference is the per-op transposing lowering of the same graph.
   */
  @Test
  void trainingFormBatchNormGradientsAgreeWithTheTransposingLowering() {
    Graph grads = gradients(residualCnn(true));
    Map<String, HostTensor> feed = Map.of("image", images(5, 9));
    Map<String, HostTensor> want = runOnTf(grads, feed, false);
    Map<String, HostTensor> got = runOnTf(grads, feed, true);
    // NOTE: float32 sums over N, H, W run in another order channels-last; batch norm's scale gradient sums
    // terms that mostly cancel (|grad| ~ 1e-2 from terms ~ 1e-1), so absolute differences of a few 1e-6 are normal.
    for (Value v : grads.outputs()) assertNull(Close.compare(want.get(v.name()), got.get(v.name()), 1e-4, 1e-5), v.name());
    assertEquals(2 + 2 + 7, grads.outputs().size(), "running-statistic updates, logits, loss, 7 gradients: " + grads.outputs());
  }

  @Test
  void evaluationGraphAgreesAndTransposesOnlyAtTheEnds() throws Exception {
    Model model = residualCnn(true);
    Graph eval = model.evalGraph();
    Map<String, HostTensor> feed = Map.of("image", images(3, 11));
    System.clearProperty(PROPERTY);
    try (TfModel tf = TfModel.load(eval);
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(eval).toByteArray())) {
      Map<String, HostTensor> got = tf.run(feed);
      Map<String, HostTensor> want = ort.run(feed);
      for (Value v : eval.outputs()) assertNull(Close.compare(want.get(v.name()), got.get(v.name()), 1e-4, 1e-5), v.name());
      List<String> layoutChanges = new ArrayList<>();
      for (Iterator<GraphOperation> it = tf.lowered().graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().equals("Transpose") && (op.name().endsWith("/nhwc") || op.name().endsWith("/nchw"))) {
          layoutChanges.add(op.name());
        }
      }
      // In: the image to channels-last; out: the globally pooled [N, C, 1, 1] features back for Flatten.
      assertEquals(List.of("globalaveragepool/nchw", "image/nhwc"), layoutChanges.stream().sorted().toList());
    }
  }

  private static HostTensor images(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * 3 * 12 * 12];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
    return HostTensor.ofFloats(v, rows, 3, 12, 12);
  }
}
