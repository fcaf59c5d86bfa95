package dev.kiln.samples.course;

import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.TrainerBuilder;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.KilnException;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the course samples share: the classifier recipe (Adam, cross-entropy), subsets, and line charts as PNG. */
final class Course {
  private Course() {}

  /** A trainer for a Fashion-MNIST classifier with output {@code logits}: Adam (lr), softmax cross-entropy, no bar. */
  static TrainerBuilder classifier(Model model, double lr, long seed, Metric... metrics) {
    return Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(lr).seed(seed).metrics(metrics).progress(false);
  }

  /** The first {@code n} examples (all when n is 0 or at least the size). */
  static Dataset first(Dataset d, int n) {
    if (n <= 0 || n >= d.size()) return d;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return d.subset(idx);
  }

  /** {@code path} with its extension replaced: {@code out/x.onnx} + {@code -curves.png} → {@code out/x-curves.png}. */
  static Path sibling(Path path, String suffix) {
    String name = path.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path parent = path.toAbsolutePath().getParent();
    return parent == null ? Path.of(name + suffix) : parent.resolve(name + suffix);
  }

  /** Writes a line chart (x = epoch 1..n) of the named series to {@code png}, atomically. */
  static void plot(String title, String yTitle, Map<String, double[]> series, Path png) {
    if (series.isEmpty()) throw new KilnException("nothing to plot in " + png);
    // NOTE: set before the first AWT class loads; a no-op if a display was already chosen.
    System.setProperty("java.awt.headless", "true");
    XYChart c = new XYChartBuilder().width(720).height(460).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < e.getValue().length; i++) {
        xs.add(i + 1.0);
        ys.add(e.getValue()[i]);
      }
      c.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      if (!ImageIO.write(BitmapEncoder.getBufferedImage(c), "png", bytes)) throw new KilnException("no PNG writer available");
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new KilnException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
