package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sample MLP: its interface, its parameters, and its output against a plain Java forward pass. */
class MlpTest {
  @Test void interfaceAndParameters() {
    Graph g = Mlp.build().graph();
    assertEquals("image: f32[batch, 784]", g.inputs().get(0).name() + ": " + g.inputs().get(0).type());
    assertEquals(1, g.outputs().size());
    assertEquals("logits: f32[batch, 10]", g.outputs().get(0).name() + ": " + g.outputs().get(0).type());
    assertEquals(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10, g.parameterCount());
    assertEquals(Mlp.build(5).graph().parameter("fc1.weight").get().initial(), Mlp.build(5).graph().parameter("fc1.weight").get().initial());
    assertNotEquals(Mlp.build(5).graph().parameter("fc1.weight").get().initial(), Mlp.build(6).graph().parameter("fc1.weight").get().initial());
  }

  @Test void onnxRuntimeAgreesWithAJavaForwardPass() {
    Model mlp = Mlp.build(9);
    Graph g = mlp.graph();
    int batch = 2;
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[batch * 784];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
    float[] h = x;
    int in = 784;
    for (String layer : new String[] {"fc1", "fc2", "fc3"}) {
      HostTensor w = g.parameter(layer + ".weight").get().initial();
      float[] wv = w.toFloats();
      float[] bv = g.parameter(layer + ".bias").get().initial().toFloats();
      int out = (int) w.shape()[1];
      float[] y = new float[batch * out];
      for (int n = 0; n < batch; n++) {
        for (int o = 0; o < out; o++) {
          double s = bv[o];
          for (int i = 0; i < in; i++) s += (double) h[n * in + i] * wv[i * out + o];
          y[n * out + o] = layer.equals("fc3") ? (float) s : (float) Math.max(s, 0);
        }
      }
      h = y;
      in = out;
    }
    float[] got;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.toBytes(mlp.graph()))) {
      got = m.run(Map.of("image", HostTensor.ofFloats(x, batch, 784))).get("logits").toFloats();
    }
    assertEquals(h.length, got.length);
    // NOTE: ORT sums in float32 in its own order; the reference sums in double, so allow float rounding.
    for (int i = 0; i < h.length; i++) assertEquals(h[i], got[i], 1e-4 * (1 + Math.abs(h[i])), "logit " + i);
  }
}
