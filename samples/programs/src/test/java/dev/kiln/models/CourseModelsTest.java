package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The course CNNs (AlexNet-style, VGG-style, Inception): interface, parameter count, and TensorFlow against ONNX Runtime
 * on the same random images (training on Fashion-MNIST through {@code kiln train} is in CourseRecipesTest).
 */
class CourseModelsTest {
  static LongFunction<Model> model(String name) {
    return switch (name) {
      case "alexnet" -> AlexNetStyle::build;
      case "vgg" -> VggStyle::build;
      case "inception" -> InceptionNet::build;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // conv1 1*32*25+32, conv2 32*64*25+64, conv3 64*96*9+96, conv4 96*96*9+96, conv5 96*64*9+64, fc 256*256+256, 256*256+256, 256*10+10
      "alexnet, 380042",
      // 1*16*9+16, 16*16*9+16, 32*16*9+32, 32*32*9+32, 64*32*9+64, 64*64*9+64, fc 576*256+256, 256*10+10
      "vgg, 222074",
      // stem 320; block a (in 32): 528+528+3480+264+2412+396; block b (in 64): 2080+1560+10416+520+4824+1560; fc 1290
      "inception, 30178"})
  void interfaceAndTfAgreesWithOnnxRuntime(String name, long params) {
    Model m = model(name).apply(7);
    Graph g = m.graph();
    assertEquals("image: f32[batch, 1, 28, 28]", g.inputs().get(0).name() + ": " + g.inputs().get(0).type());
    assertEquals("logits: f32[batch, 10]", g.outputs().get(0).name() + ": " + g.outputs().get(0).type());
    assertEquals(params, g.parameterCount());
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[3 * 28 * 28];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
    Map<String, HostTensor> feed = Map.of("image", HostTensor.ofFloats(x, 3, 1, 28, 28));
    float[] tf = TensorFlowBackend.instance().run(m.evalGraph(), feed).get("logits").toFloats();
    float[] ort;
    try (OnnxRuntimeModel o = OnnxRuntimeModel.load(OnnxExporter.toBytes(g))) {
      ort = o.run(feed).get("logits").toFloats();
    }
    assertEquals(30, tf.length);
    for (int i = 0; i < tf.length; i++) assertEquals(tf[i], ort[i], 1e-4 * (1 + Math.abs(tf[i])), name + " logit " + i);
  }
}
