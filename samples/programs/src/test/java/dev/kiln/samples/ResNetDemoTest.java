package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.models.ResNet;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ResNet sample, short enough for CI: 150 steps of the recipe (one epoch over 19200 training images),
 * then the test accuracy on TensorFlow and of the exported file in ONNX Runtime. The full recipe's figure
 * (3 epochs) is in the README.
 */
class ResNetDemoTest {
  @TempDir Path tmp;

  @Test
  void aShortRunLearnsAndOnnxRuntimeAgreesWithTensorFlow() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnistDemo.DEFAULT_DATA),
        "needs Debian's dataset-fashion-mnist in " + FashionMnistDemo.DEFAULT_DATA);
    StringWriter buf = new StringWriter();
    Path onnx = tmp.resolve("resnet.onnx");
    ResNetDemo.Result r = ResNetDemo.run(new ResNetDemo.Options(1, FashionMnistDemo.DEFAULT_DATA, onnx, 7, 19_200, 2000,
        ResNet.WIDTHS, ResNet.BLOCKS, 1, true, false), new PrintWriter(buf, true));
    String out = buf.toString();
    // About 0.85 after these 150 steps; chance is 0.1.
    assertTrue(r.tfAccuracy() > 0.75, "TF test accuracy " + r.tfAccuracy() + "\n" + out);
    assertTrue(r.maxAbsDiff() <= 1e-5, out);
    // The same weights on both back ends: at most a near-tie may flip (1 of the 2000 examples).
    assertEquals(r.tfAccuracy(), r.ortAccuracy(), 0.0005, out);
    assertTrue(out.contains("Fashion-MNIST: 19200 train, 2000 test examples; ResNet widths [16, 32, 64], 2 blocks/stage"), out);
  }

  /** The exported inference graph: batch norms folded to ONNX BatchNormalization, residual Adds, no training outputs. */
  @Test
  void theExportRunsBatchNormInInferenceFormInOnnxRuntime() throws Exception {
    Model m = ResNet.build(3);
    long bn = m.graph().nodes().stream().map(Node::opName).filter("BatchNormTraining"::equals).count();
    // stem, 2 per block (6 blocks), one per projection (3 stages); the inference form reads running statistics.
    assertEquals(1 + 12 + 3, bn);
    assertEquals(1 + 12 + 3, m.evalGraph().nodes().stream().map(Node::opName).filter("BatchNormalization"::equals).count());
    HostTensor x = HostTensor.ofFloats(new float[2 * 784], 2, 1, 28, 28);
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.toBytes(m.graph()))) {
      Map<String, HostTensor> y = ort.run(Map.of("image", x));
      assertEquals(1, y.size(), "only the logits: " + y.keySet());
      assertEquals(20, y.get("logits").size());
    }
  }
}
