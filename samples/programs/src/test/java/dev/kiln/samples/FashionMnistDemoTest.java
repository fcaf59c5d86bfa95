package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.spec.KilnException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fashion-MNIST demo end to end, small enough for CI: the MLP for one epoch on 20000 training
 * examples, exported, and the ONNX file checked against TensorFlow on the whole test set.
 */
class FashionMnistDemoTest {
  @TempDir Path tmp;

  @Test
  void mlpLearnsAndOnnxRuntimeAgreesWithTensorFlow() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnistDemo.DEFAULT_DATA),
        "needs Debian's dataset-fashion-mnist in " + FashionMnistDemo.DEFAULT_DATA);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Path onnx = tmp.resolve("mlp.onnx");
    FashionMnistDemo.Result r = FashionMnistDemo.run(
        new FashionMnistDemo.Options("mlp", 1, FashionMnistDemo.DEFAULT_DATA, onnx, 7, 20_000, false),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(r.tfAccuracy() > 0.80, "TF test accuracy " + r.tfAccuracy() + "\n" + out);
    assertTrue(r.maxAbsDiff() <= 1e-5, out);
    assertTrue(out.contains("test accuracy on TensorFlow-Java") && out.contains("test accuracy on ONNX Runtime"), out);
    // Same arg-max on every test example: the ORT logits follow TF's within 1e-5, so accuracies are equal.
    assertEquals(r.tfAccuracy(), r.ortAccuracy(), 0, out);
    Dataset test = FashionMnist.load(FashionMnistDemo.DEFAULT_DATA).test();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      var b = test.batches(2000, false, 0).iterator().next();
      double acc = Metrics.accuracy(FashionMnistDemo.onnxLogits(m, b.features()), b.labels());
      assertTrue(acc > 0.80, "ORT accuracy on the first 2000 test examples " + acc);
    }
  }

  @Test
  void aMissingDataFolderNamesThePackageAndTheOption() {
    Path missing = tmp.resolve("nothing-here");
    KilnException e = org.junit.jupiter.api.Assertions.assertThrows(KilnException.class, () -> FashionMnistDemo.run(
        new FashionMnistDemo.Options("mlp", 1, missing, tmp.resolve("m.onnx"), 1, 0, false), new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains("dataset-fashion-mnist") && e.getMessage().contains("--data"), e.getMessage());
  }

  @Test
  void anUnknownModelIsRefused() {
    KilnException e = org.junit.jupiter.api.Assertions.assertThrows(KilnException.class, () -> FashionMnistDemo.model("vgg", 1));
    assertTrue(e.getMessage().contains("mlp or lenet"), e.getMessage());
  }
}
