package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a {@link History}'s learning curves with XChart: a loss panel and, if any, a metrics panel. */
final class HistoryPlot {
  private static final int W = 640;
  private static final int H = 420;

  private HistoryPlot() {}

  static void write(History h, Path png) {
    if (h.size() == 0) throw new KilnException("cannot plot an empty history");
    // NOTE: set before the first AWT class loads; a no-op if a display was already chosen.
    System.setProperty("java.awt.headless", "true");
    List<XYChart> panels = new ArrayList<>();
    panels.add(chart(h, "Loss", "loss", List.of("loss", "val_loss")));
    List<String> metricCols = new ArrayList<>();
    for (String m : h.metricNames()) {
      metricCols.add(m);
      metricCols.add("val_" + m);
    }
    if (!metricCols.isEmpty()) panels.add(chart(h, "Metrics", "value", metricCols));
    BufferedImage out = new BufferedImage(W * panels.size(), H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < panels.size(); i++) g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), i * W, 0, null);
    g.dispose();
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      if (!ImageIO.write(out, "png", png.toFile())) throw new KilnException("no PNG writer available");
    } catch (IOException e) {
      throw new KilnException("cannot write learning curves to " + png + ": " + e.getMessage(), e);
    }
  }

  private static XYChart chart(History h, String title, String yTitle, List<String> columns) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendVisible(true);
    double[] epochs = h.column("epoch");
    for (String col : columns) {
      double[] y = h.column(col);
      // XChart draws NaN badly: keep only the epochs that have the value.
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (!Double.isNaN(y[i])) {
          xs.add(epochs[i]);
          ys.add(y[i]);
        }
      }
      if (ys.isEmpty()) continue;
      c.addSeries(col, xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
    return c;
  }
}
