package dev.kiln.runtime.train;

import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.spec.KilnException;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Draws a confusion matrix as a PNG heat map with XChart: true class down, predicted class across, each cell showing
 * its count, shaded from white (0) to dark blue (the largest count). Written atomically.
 */
public final class ConfusionMatrixPlot {
  private ConfusionMatrixPlot() {}

  /** Writes {@code counts[true][predicted]} to {@code png}; {@code names} (may be null) label the classes. */
  public static void write(long[][] counts, List<String> names, String title, Path png) {
    int c = counts.length;
    if (c == 0) throw new KilnException("cannot plot an empty confusion matrix");
    // NOTE: set before the first AWT class loads; a no-op if a display was already chosen.
    System.setProperty("java.awt.headless", "true");
    int side = Math.max(420, 80 * c + 200);
    HeatMapChart chart = new HeatMapChartBuilder().width(side + 80).height(side).title(title)
        .xAxisTitle("predicted").yAxisTitle("true").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setShowValue(true);
    chart.getStyler().setValueFontColor(Color.BLACK);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x9e, 0xca, 0xe1), new Color(0x08, 0x30, 0x6b)});
    List<String> labels = new ArrayList<>();
    // Rows are listed bottom-up in XChart: put class 0 at the top, as a printed matrix reads.
    List<String> yLabels = new ArrayList<>();
    for (int i = 0; i < c; i++) labels.add(names != null && i < names.size() ? names.get(i) : String.valueOf(i));
    for (int i = c - 1; i >= 0; i--) yLabels.add(labels.get(i));
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < c; t++) {
      if (counts[t].length != c) throw new KilnException("a confusion matrix must be square, row " + t + " has " + counts[t].length);
      for (int p = 0; p < c; p++) cells.add(new Number[] {p, c - 1 - t, counts[t][p]});
    }
    chart.addSeries("count", labels, yLabels, cells);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", bytes)) throw new KilnException("no PNG writer available");
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new KilnException("cannot write the confusion matrix to " + png + ": " + e.getMessage(), e);
    }
  }
}
