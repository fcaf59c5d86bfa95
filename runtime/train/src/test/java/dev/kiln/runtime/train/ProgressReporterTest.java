package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar's text (ASCII, not a terminal) and its running means; no timing assertions. */
class ProgressReporterTest {
  @Test void drawsEpochBatchesLossMetricAndSpeed() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("accuracy", true, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    p.startEpoch(2, 5, 3);
    p.step(10, 1.0, 0.5);
    p.step(10, 2.0, 0.7);
    p.step(5, 4.0, 1.0);
    // Means weighted by batch size: loss (10 + 20 + 20) / 25 = 2, accuracy (5 + 7 + 5) / 25 = 0.68.
    assertEquals(2.0, p.meanLoss(), 1e-12);
    assertEquals(0.68, p.meanMetric(), 1e-12);
    p.endEpoch();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("epoch 2/5"), out);
    assertTrue(out.contains("3/3"), out);
    assertTrue(out.contains("loss 2.0000"), out);
    assertTrue(out.contains("accuracy 0.6800"), out);
    assertTrue(out.contains("samples/s"), out);
  }

  @Test void omitsAMissingMetric() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("accuracy", true, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    p.startEpoch(1, 1, 1);
    p.step(4, 0.5, Double.NaN);
    p.endEpoch();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("loss 0.5000") && !out.contains("accuracy"), out);
  }

  @Test void disabledPrintsNothingButStillAverages() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("acc", false, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    p.startEpoch(1, 1, 2);
    p.step(2, 3.0, 1.0);
    p.step(2, 1.0, 0.0);
    p.endEpoch();
    assertEquals(0, bytes.size());
    assertEquals(2.0, p.meanLoss(), 1e-12);
    assertEquals(0.5, p.meanMetric(), 1e-12);
  }

  @Test void notATerminalGivesPlainLinesNoCarriageReturns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressReporter p = new ProgressReporter("accuracy", true, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int e = 1; e <= 2; e++) {
      p.startEpoch(e, 2, 100);
      for (int i = 0; i < 100; i++) p.step(8, 0.25, 1.0);
      p.endEpoch();
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(!out.contains("\r"), out);
    // 100 fast steps stay within one line interval: one line per epoch, printed when it ends.
    String[] lines = out.split("\n");
    assertEquals(2, lines.length, out);
    assertTrue(lines[0].startsWith("epoch 1/2 100/100 loss 0.2500 accuracy 1.0000 "), lines[0]);
    assertTrue(lines[1].startsWith("epoch 2/2 100/100 "), lines[1]);
  }
}
