package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Accuracy, top-k and confusion counts against values worked out by hand. */
class MetricsTest {
  // Four examples, three classes. Row rankings (largest first):
  // 0: [0.1, 2.0, 0.3] -> 1, 2, 0     label 1: top-1 hit
  // 1: [3.0, 1.0, 2.0] -> 0, 2, 1     label 2: top-2 hit only
  // 2: [0.5, 0.5, 0.1] -> 0, 1 (tie, lower index first), 2   label 1: top-2 hit only
  // 3: [-1, -2, -3]   -> 0, 1, 2     label 2: top-3 only
  static final HostTensor LOGITS = HostTensor.ofFloats(new float[] {
      0.1f, 2.0f, 0.3f, 3.0f, 1.0f, 2.0f, 0.5f, 0.5f, 0.1f, -1f, -2f, -3f}, 4, 3);
  static final HostTensor LABELS = HostTensor.ofLongs(new long[] {1, 2, 1, 2}, 4);

  @Test void accuracyAndTopK() {
    assertEquals(0.25, Metrics.accuracy(LOGITS, LABELS));
    assertEquals(0.75, Metrics.topK(LOGITS, LABELS, 2));
    assertEquals(1.0, Metrics.topK(LOGITS, LABELS, 3));
    assertArrayEquals(new long[] {1, 0, 0, 0}, Metrics.argmax(LOGITS));
  }

  @Test void confusionMatrixCountsTrueByPredicted() {
    long[][] m = Metrics.confusionMatrix(LOGITS, LABELS, 3);
    // true 1 -> predicted 1 and 0; true 2 -> predicted 0 twice.
    assertArrayEquals(new long[] {0, 0, 0}, m[0]);
    assertArrayEquals(new long[] {1, 1, 0}, m[1]);
    assertArrayEquals(new long[] {2, 0, 0}, m[2]);
    ConfusionMatrix c = new ConfusionMatrix(3);
    c.update(LOGITS, LABELS);
    assertEquals(0.5, c.recall(1));
    assertEquals(1.0, c.precision(1));
    assertEquals(0.0, c.precision(0));
    assertTrue(Double.isNaN(c.recall(0)));
    assertEquals(0.25, c.result());
    String text = c.toString(List.of("a", "b", "c"));
    assertTrue(text.contains("1 b"), text);
  }

  @Test void metricsAccumulateOverBatchesAndReset() {
    Metric acc = Metric.accuracy();
    Metric top2 = Metric.topK(2);
    assertTrue(Double.isNaN(acc.result()));
    // Same four examples in two batches of two.
    HostTensor l1 = HostTensor.ofFloats(new float[] {0.1f, 2.0f, 0.3f, 3.0f, 1.0f, 2.0f}, 2, 3);
    HostTensor l2 = HostTensor.ofFloats(new float[] {0.5f, 0.5f, 0.1f, -1f, -2f, -3f}, 2, 3);
    for (Metric m : List.of(acc, top2)) {
      m.update(l1, HostTensor.ofLongs(new long[] {1, 2}, 2));
      m.update(l2, HostTensor.ofLongs(new long[] {1, 2}, 2));
    }
    assertEquals(0.25, acc.result());
    assertEquals(0.75, top2.result());
    assertEquals("accuracy", acc.name());
    assertEquals("top2_accuracy", top2.name());
    acc.reset();
    assertTrue(Double.isNaN(acc.result()));
  }

  @Test void refusesBadShapesAndLabels() {
    KilnException e = assertThrows(KilnException.class,
        () -> Metrics.accuracy(LOGITS, HostTensor.ofLongs(new long[] {0, 1, 7, 0}, 4)));
    assertTrue(e.getMessage().contains("label 7 at index 2"), e.getMessage());
    assertThrows(KilnException.class, () -> Metrics.accuracy(LOGITS, HostTensor.ofLongs(new long[] {0}, 1)));
    assertThrows(KilnException.class, () -> Metrics.accuracy(HostTensor.ofFloats(new float[3], 3), LABELS));
    assertThrows(KilnException.class, () -> Metrics.topK(LOGITS, LABELS, 0));
  }
}
