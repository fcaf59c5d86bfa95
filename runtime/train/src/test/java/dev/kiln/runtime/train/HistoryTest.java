package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History's CSV, table, best-epoch search and learning-curve PNG. */
class HistoryTest {
  static History sample() {
    History h = new History();
    h.add(new EpochRecord(1, 0.9, Map.of("accuracy", 0.60), 0.8, Map.of("accuracy", 0.65), 0.01, 3.2));
    h.add(new EpochRecord(2, 0.5, Map.of("accuracy", 0.80), 0.55, Map.of("accuracy", 0.79), 0.01, 3.1));
    h.add(new EpochRecord(3, 0.4, Map.of("accuracy", 0.85), 0.6, Map.of("accuracy", 0.81), 0.005, 3.0));
    return h;
  }

  @Test void csvHasAHeaderAndOneRowPerEpoch() {
    String[] lines = sample().toCsv().split("\n");
    assertEquals(4, lines.length);
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", lines[0]);
    assertEquals("2,0.5,0.8,0.55,0.79,0.01,3.1", lines[2]);
  }

  @Test void bestPicksByModeAndColumn() {
    History h = sample();
    assertEquals(2, h.best("val_loss", History.Mode.MIN).epoch());
    assertEquals(3, h.best("val_accuracy", History.Mode.MAX).epoch());
    assertEquals(3, h.best("loss", History.Mode.MIN).epoch());
    assertEquals(1, h.best("lr", History.Mode.MAX).epoch(), "earliest on ties");
    KilnException e = assertThrows(KilnException.class, () -> h.best("f1", History.Mode.MAX));
    assertTrue(e.getMessage().contains("val_accuracy"), "lists the columns: " + e.getMessage());
  }

  @Test void tableAndMissingValidation() {
    History h = new History();
    h.add(new EpochRecord(1, 1.25, Map.of(), Double.NaN, Map.of(), 0.1, 0.5));
    assertEquals("epoch,loss,lr,seconds\n1,1.25,0.1,0.5\n", h.toCsv());
    String table = sample().toString();
    assertTrue(table.lines().count() == 4, table);
    assertTrue(table.contains("val_accuracy") && table.contains("0.7900"), table);
  }

  @Test void plotsAReadablePng(@TempDir Path tmp) throws Exception {
    Path png = tmp.resolve("curves/history.png");
    sample().plot(png);
    assertTrue(Files.size(png) > 1000);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth(), "loss and metric panels side by side");
    assertEquals(420, img.getHeight());
    // Keep a copy for a person to look at when asked (-Dkiln.plot.out=DIR).
    String keep = System.getProperty("kiln.plot.out");
    if (keep != null) Files.copy(png, Path.of(keep).resolve("history.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
