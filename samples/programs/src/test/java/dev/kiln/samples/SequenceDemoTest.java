package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast CI version of {@link SequenceDemo}: each recurrent classifier trains on the counting task to at
 * least 95% held-out accuracy, and its exported ONNX file (native node) agrees with TensorFlow in ONNX Runtime.
 */
class SequenceDemoTest {
  @TempDir Path dir;

  @Test
  void lstmLearnsToCount() { check(SequenceDemo.Cell.LSTM); }

  @Test
  void gruLearnsToCount() { check(SequenceDemo.Cell.GRU); }

  private void check(SequenceDemo.Cell cell) {
    long start = System.nanoTime();
    SequenceDemo.Result r = SequenceDemo.run(cell, Integer.getInteger("kiln.seqdemo.n", 2000),
        Integer.getInteger("kiln.seqdemo.epochs", 12), 16, dir.resolve(cell + ".onnx"));
    System.out.printf("SequenceDemo %s: held-out accuracy %.4f (TF), %.4f (ORT), max diff %.2e, %.1f s%n", cell,
        r.heldOutAccuracy(), r.onnxAccuracy(), r.maxDifference(), (System.nanoTime() - start) / 1e9);
    assertTrue(r.heldOutAccuracy() >= 0.95, cell + " held-out accuracy " + r.heldOutAccuracy());
    assertTrue(r.onnxAccuracy() >= 0.95, cell + " accuracy in ONNX Runtime " + r.onnxAccuracy());
  }
}
