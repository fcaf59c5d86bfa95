package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Precision, recall, F1 (macro, micro), ROC-AUC and the confusion-matrix PNG: hand-worked cases, and numpy references
 * computed independently (fixtures/evaluation/make_fixtures.py: the AUC there counts every positive-negative pair, here
 * it comes from ranks).
 */
class ClassificationMetricsTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/evaluation");
  @TempDir Path tmp;

  static HostTensor fixture(String name) { return Npy.read(DIR.resolve(name + ".npy")); }

  @Test void handWorkedReport() {
    // true\pred  0 1 2      class 0: tp 5, predicted 7, support 6 -> p 5/7, r 5/6, f1 10/13
    //   0        5 1 0      class 1: tp 3, predicted 4, support 6 -> p 3/4, r 1/2, f1 3/5
    //   1        2 3 1      class 2: predicted once, never true   -> p 0, r 0 (no support), f1 0
    //   2        0 0 0      micro: 8 right of 12 -> 2/3
    ClassificationReport r = ClassificationReport.of(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 0}});
    assertEquals(5.0 / 7, r.precision(0), 1e-15);
    assertEquals(5.0 / 6, r.recall(0), 1e-15);
    assertEquals(10.0 / 13, r.f1(0), 1e-15);
    assertEquals(3.0 / 5, r.f1(1), 1e-15);
    assertEquals(0, r.precision(2));
    assertEquals(0, r.recall(2));
    assertEquals((5.0 / 7 + 3.0 / 4) / 3, r.macroPrecision(), 1e-15);
    assertEquals(4.0 / 9, r.macroRecall(), 1e-15);
    assertEquals((10.0 / 13 + 3.0 / 5) / 3, r.macroF1(), 1e-15);
    assertEquals(2.0 / 3, r.microPrecision(), 1e-15);
    assertEquals(2.0 / 3, r.microRecall(), 1e-15);
    assertEquals(2.0 / 3, r.microF1(), 1e-15);
    assertEquals(6, r.support(1));
    String text = r.toString(List.of("cat", "dog", "eel"));
    assertTrue(text.contains("0 cat") && text.contains("macro avg") && text.contains("micro avg"), text);
  }

  @Test void reportMatchesNumpy() {
    HostTensor logits = fixture("multi_logits");
    HostTensor labels = fixture("multi_labels");
    double[] want = fixture("multi_report").toDoubles(); // [6, 4]
    ConfusionMatrix m = new ConfusionMatrix(4);
    m.update(logits, labels);
    ClassificationReport r = m.report();
    for (int c = 0; c < 4; c++) {
      assertEquals(want[c], r.precision(c), 1e-12, "precision " + c);
      assertEquals(want[4 + c], r.recall(c), 1e-12, "recall " + c);
      assertEquals(want[8 + c], r.f1(c), 1e-12, "f1 " + c);
      assertEquals(want[12 + c], r.support(c), 0, "support " + c);
    }
    assertEquals(want[16], r.macroPrecision(), 1e-12);
    assertEquals(want[17], r.macroRecall(), 1e-12);
    assertEquals(want[18], r.macroF1(), 1e-12);
    assertEquals(want[19], r.microF1(), 1e-12);
    assertEquals(want[20], m.result(), 1e-12);
    // The trainer metrics give the same over two batches.
    Metric f1 = ClassMetrics.f1Macro(4);
    Metric micro = ClassMetrics.f1Micro(4);
    for (Metric x : List.of(f1, micro)) {
      x.update(slice(logits, 0, 120), slice(labels, 0, 120));
      x.update(slice(logits, 120, 200), slice(labels, 120, 200));
    }
    assertEquals(want[18], f1.result(), 1e-12);
    assertEquals(want[19], micro.result(), 1e-12);
    f1.reset();
    assertTrue(Double.isNaN(f1.result()));
  }

  static HostTensor slice(HostTensor t, int from, int to) {
    long[] s = t.shape();
    int row = (int) (t.size() / s[0]);
    double[] v = java.util.Arrays.copyOfRange(t.toDoubles(), from * row, to * row);
    s[0] = to - from;
    return HostTensor.fromDoubles(t.dtype(), v, s);
  }

  @Test void handWorkedAuc() {
    // Positives 0.35, 0.8; negatives 0.1, 0.4: 3 of the 4 pairs are ordered right.
    assertEquals(0.75, RocAuc.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-15);
    // A tie counts one half.
    assertEquals(0.5, RocAuc.auc(new double[] {0.5, 0.5}, new boolean[] {false, true}), 1e-15);
    assertTrue(Double.isNaN(RocAuc.auc(new double[] {1, 2}, new boolean[] {true, true})));
  }

  @Test void aucMatchesPairCounting() {
    HostTensor scores = fixture("binary_scores");
    HostTensor labels = fixture("binary_labels");
    double want = fixture("binary_auc").getDouble(0);
    Metric auc = ClassMetrics.rocAuc();
    auc.update(slice(scores, 0, 100), slice(labels, 0, 100));
    auc.update(slice(scores, 100, 300), slice(labels, 100, 300));
    assertEquals(want, auc.result(), 1e-12);
    // Two-class logits [N, 2] score by logit 1 - logit 0: the same ordering.
    double[] s = scores.toDoubles();
    double[] two = new double[2 * s.length];
    for (int i = 0; i < s.length; i++) {
      two[2 * i] = 0.25;
      two[2 * i + 1] = 0.25 + s[i];
    }
    RocAuc a2 = new RocAuc();
    a2.update(HostTensor.fromDoubles(dev.kiln.spec.DType.F64, two, s.length, 2), labels);
    assertEquals(want, a2.result(), 1e-12);
  }

  @Test void aucRejectsNonBinaryLabels() {
    KilnException e = assertThrows(KilnException.class, () -> new RocAuc().update(
        HostTensor.ofFloats(new float[] {0.1f, 0.2f}, 2), HostTensor.ofLongs(new long[] {0, 2}, 2)));
    assertTrue(e.getMessage().contains("label 2.0 at index 1"), e.getMessage());
  }

  @Test void confusionMatrixPng() throws Exception {
    ConfusionMatrix m = new ConfusionMatrix(4);
    m.update(fixture("multi_logits"), fixture("multi_labels"));
    Path png = tmp.resolve("out/confusion.png");
    m.writePng(png, List.of("a", "b", "c", "d"));
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img.getWidth() >= 420 && img.getHeight() >= 420, img.getWidth() + "x" + img.getHeight());
    try (var files = Files.list(png.getParent())) {
      assertEquals(1, files.count(), "no temporary file left beside the PNG");
    }
  }
}
