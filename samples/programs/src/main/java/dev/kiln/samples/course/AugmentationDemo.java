package dev.kiln.samples.course;

import dev.kiln.runtime.data.Augment;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.models.LeNet5;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Data augmentation against over-fitting: LeNet-5 trained on a small Fashion-MNIST subset for many epochs, once on the
 * images as they are and once through random crops (2-pixel padding) and horizontal flips. Without augmentation the
 * training accuracy runs away from the validation accuracy; with it the gap stays small. Writes the four accuracy
 * curves (train and validation, both runs) as a PNG, prints the final gaps, and exports the augmented model.
 * {@code kiln train augment}.
 */
public final class AugmentationDemo {
  private AugmentationDemo() {}

  /** Training examples, validation examples, epochs, batch size, Adam's rate, seed. */
  public record Options(int examples, int valExamples, int epochs, int batchSize, double lr, long seed) {
    public static Options defaults() { return new Options(2000, 2000, 40, 64, 1e-3, 42); }
  }

  /** Both runs' histories and the PNG written. */
  public record Result(History plain, History augmented, Path png) {
    /** Last epoch's train accuracy minus validation accuracy. */
    public static double gap(History h) {
      double[] tr = h.column("accuracy");
      double[] va = h.column("val_accuracy");
      return tr[tr.length - 1] - va[va.length - 1];
    }
  }

  /** The augmentation: random 28x28 crops of the image padded by 2, then a horizontal flip half the time. */
  public static Augment augmentation() { return Augment.randomCrop(2).then(Augment.randomHorizontalFlip(0.5)); }

  public static Result run(Path dataDir, Options o, Path onnx, PrintWriter out) {
    FashionMnist fm = FashionMnist.load(dataDir, true);
    Dataset train = Course.first(fm.train(), o.examples());
    Dataset val = Course.first(fm.test(), o.valExamples());
    out.printf("augmentation vs over-fitting: LeNet-5 on %d Fashion-MNIST training images, validated on %d, %d epochs%n",
        train.size(), val.size(), o.epochs());
    out.flush();
    History plain = fit(train, val, o, null, out);
    History augmented = fit(train.map(augmentation()), val, o, onnx, out);
    Map<String, double[]> curves = new LinkedHashMap<>();
    curves.put("train (plain)", plain.column("accuracy"));
    curves.put("validation (plain)", plain.column("val_accuracy"));
    curves.put("train (augmented)", augmented.column("accuracy"));
    curves.put("validation (augmented)", augmented.column("val_accuracy"));
    Path png = Course.sibling(onnx, "-curves.png");
    Course.plot("LeNet-5 on " + train.size() + " Fashion-MNIST images: augmentation vs over-fitting", "accuracy", curves, png);
    out.printf("final train - validation accuracy gap: plain %.4f, augmented %.4f; curves %s%n", Result.gap(plain),
        Result.gap(augmented), png);
    out.flush();
    return new Result(plain, augmented, png);
  }

  private static History fit(Dataset train, Dataset val, Options o, Path onnx, PrintWriter out) {
    try (Trainer t = Course.classifier(LeNet5.build(o.seed()), o.lr(), o.seed(), Metric.accuracy()).build()) {
      History h = t.fit(train, val, o.epochs(), o.batchSize());
      double[] tr = h.column("accuracy");
      double[] va = h.column("val_accuracy");
      out.printf("%s: final train accuracy %.4f, validation %.4f (best validation %.4f)%n", onnx == null ? "plain" : "augmented",
          tr[tr.length - 1], va[va.length - 1], java.util.Arrays.stream(va).max().orElse(Double.NaN));
      if (onnx != null) {
        double diff = t.exportAndVerify(onnx, Course.first(val, 256));
        out.printf("exported %s (max |ONNX Runtime - TensorFlow| %.2e)%n", onnx, diff);
      }
      out.flush();
      return h;
    }
  }
}
