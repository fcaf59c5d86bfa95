package dev.kiln.samples.norm;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
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
 * Instance norm between convolutions: on TensorFlow the {@code InstanceNormalization} lowering normalises the conv's
 * channels-last output as it is (no transpose around it) and agrees with ONNX Runtime's native kernel on the export;
 * the gradient graph (autodiff goes through the op's decomposition) agrees with ONNX Runtime too.
 */
class InstanceNormChannelsLastTest {
  private static Graph model() {
    Model model = Model.build("conv_in_conv", 3, m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 3, 8, 8);
      Tensor<F32> h = x.conv2d("c1", Conv.out(4).kernel(3).padding(Padding.SAME)).instanceNorm("in").relu();
      Tensor<F32> y = m.output("y", h.conv2d("c2", Conv.out(2).kernel(3).padding(Padding.SAME)));
      return y.mul(y).sum(false);
    });
    // Scale and bias away from ones and zeros, so a per-channel vector broadcast along the wrong axis shows.
    Graph g = model.graph();
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) {
      if (p.name().equals("in.weight")) ps.add(p.withInitial(HostTensor.ofFloats(new float[] {0.5f, -1, 2, 1.5f}, 4)));
      else if (p.name().equals("in.bias")) ps.add(p.withInitial(HostTensor.ofFloats(new float[] {0, 1, -2, 0.25f}, 4)));
      else ps.add(p);
    }
    return g.with(ps, g.nodes(), g.outputs());
  }

  @Test
  void evaluationOnTfKeepsChannelsLastAndAgreesWithOnnxRuntime() {
    Graph g = model();
    Map<String, HostTensor> feed = Map.of("image", images(3, 5));
    try (TfModel tf = TfModel.load(g); OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      Map<String, HostTensor> got = tf.run(feed);
      Map<String, HostTensor> want = ort.run(feed);
      for (Value v : g.outputs()) compare(v.name(), want.get(v.name()), got.get(v.name()));
      List<String> layoutChanges = new ArrayList<>();
      for (Iterator<GraphOperation> it = tf.lowered().graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().equals("Transpose") && (op.name().endsWith("/nhwc") || op.name().endsWith("/nchw"))) layoutChanges.add(op.name());
      }
      // In: the image to channels-last; out: the second conv's result for the output y. None around c1 or the norm.
      assertTrue(layoutChanges.contains("image/nhwc"), layoutChanges.toString());
      assertTrue(layoutChanges.stream().noneMatch(n -> n.startsWith("c1.") || n.startsWith("in.")), layoutChanges.toString());
      assertEquals(2, layoutChanges.size(), layoutChanges.toString());
    }
  }

  @Test
  void gradientsOnTfAgreeWithOnnxRuntime() {
    Graph g = model();
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    Graph grads = Autodiff.gradients(g, loss, g.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList(), true);
    Map<String, HostTensor> feed = Map.of("image", images(3, 7));
    try (TfModel tf = TfModel.load(grads); OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      Map<String, HostTensor> got = tf.run(feed);
      Map<String, HostTensor> want = ort.run(feed);
      for (Value v : grads.outputs()) {
        if (v.name().equals("grad/c1.bias")) continue;
        compare(v.name(), want.get(v.name()), got.get(v.name()));
      }
      // The norm subtracts each channel's mean, so the bias of the conv before it has no effect: its gradient is 0 up
      // to rounding (sums of 192 terms that cancel), on both back ends.
      for (HostTensor gb : List.of(want.get("grad/c1.bias"), got.get("grad/c1.bias"))) {
        for (int i = 0; i < gb.size(); i++) assertTrue(Math.abs(gb.getDouble(i)) < 1e-4, "grad/c1.bias[" + i + "] = " + gb.getDouble(i));
      }
      assertTrue(grads.outputs().stream().anyMatch(v -> v.name().equals("grad/in.weight")), grads.outputs().toString());
    }
  }

  private static void compare(String what, HostTensor want, HostTensor got) {
    assertNotNull(got, what + ": missing on TF");
    assertEquals(want.size(), got.size(), what + ": element count");
    // NOTE: f32 sums run in another order on each back end; the absolute bound follows the tensor's largest element.
    double scale = 1;
    for (int i = 0; i < want.size(); i++) scale = Math.max(scale, Math.abs(want.getDouble(i)));
    for (int i = 0; i < want.size(); i++) {
      double e = want.getDouble(i);
      double a = got.getDouble(i);
      assertTrue(Math.abs(a - e) <= 1e-5 * scale + 1e-4 * Math.abs(e), what + "[" + i + "]: TF " + a + ", ONNX Runtime " + e);
    }
  }

  private static HostTensor images(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * 3 * 8 * 8];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
    return HostTensor.ofFloats(v, rows, 3, 8, 8);
  }
}
