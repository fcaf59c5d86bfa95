package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI version of {@link TransformerDemo}: the tiny encoder learns to reverse token sequences to at least 95%
 * held-out token accuracy, and its ONNX export scores the same in ONNX Runtime.
 */
class TransformerDemoTest {
  @TempDir Path dir;

  @Test
  void transformerLearnsToReverse() {
    TransformerDemo.Settings d = TransformerDemo.Settings.defaults();
    TransformerDemo.Settings s = new TransformerDemo.Settings(Integer.getInteger("kiln.transformer.n", d.trainSize()),
        Integer.getInteger("kiln.transformer.epochs", 3), d.width(), d.heads(), d.layers(), d.learningRate(), d.seed());
    TransformerDemo.Result r = TransformerDemo.run(s, dir.resolve("reverse.onnx"), System.out);
    System.out.printf("TransformerDemo: held-out token accuracy %.4f (TF), %.4f (ORT), max diff %.2e, %.1f s%n",
        r.tokenAccuracy(), r.onnxTokenAccuracy(), r.maxDifference(), r.seconds());
    assertTrue(r.tokenAccuracy() >= 0.95, "held-out token accuracy " + r.tokenAccuracy());
    assertTrue(r.onnxTokenAccuracy() >= 0.95, "token accuracy in ONNX Runtime " + r.onnxTokenAccuracy());
    assertTrue(Math.abs(r.onnxTokenAccuracy() - r.tokenAccuracy()) <= 0.002, "ONNX Runtime and TF accuracies differ: " + r);
    assertTrue(r.maxDifference() < 1e-3, "max |ORT - TF| logit " + r.maxDifference());
  }
}
