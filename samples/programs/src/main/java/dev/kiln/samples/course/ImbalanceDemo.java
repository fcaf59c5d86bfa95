package dev.kiln.samples.course;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.ClassificationReport;
import dev.kiln.runtime.train.ConfusionMatrix;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.models.Mlp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Class-imbalanced training: the Fashion-MNIST MLP trained on a subset where four classes (T-shirt, pullover, coat,
 * shirt: the ones most easily confused with each other) keep only a few percent of their examples, once with plain
 * shuffled epochs and once with the class-balanced weighted sampler ({@code Dataset.classBalancedWeights}, drawn with
 * replacement); both scored on the balanced test set. Prints per-class recall side by side, accuracy and macro F1,
 * writes both confusion matrices as PNG, and exports the balanced model. {@code kiln train imbalance}.
 */
public final class ImbalanceDemo {
  private ImbalanceDemo() {}

  /** The rare classes. */
  public static final Set<Long> MINORITY = Set.of(0L, 2L, 4L, 6L);

  /** Training examples drawn from, fraction of the minority classes kept, test examples, epochs, batch size, rate, seed. */
  public record Options(int examples, double keep, int testExamples, int epochs, int batchSize, double lr, long seed) {
    public static Options defaults() { return new Options(20000, 0.03, 10000, 3, 128, 1e-3, 42); }
  }

  /** Per-class recall of both runs, and their reports. */
  public record Result(ClassificationReport plain, ClassificationReport balanced, int trainSize) {}

  /** {@code d} with only the first {@code keep} fraction of each minority class (at least one example each). */
  static Dataset imbalanced(Dataset d, double keep) {
    long[] y = d.labelValues();
    long[] count = new long[10];
    for (long c : y) count[(int) c]++;
    long[] seen = new long[10];
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      int c = (int) y[i];
      if (!MINORITY.contains(y[i]) || seen[c]++ < Math.max(1, Math.round(count[c] * keep))) idx.add(i);
    }
    return d.subset(idx.stream().mapToInt(Integer::intValue).toArray());
  }

  public static Result run(Path dataDir, Options o, Path onnx, PrintWriter out) {
    FashionMnist fm = FashionMnist.load(dataDir, false);
    Dataset train = imbalanced(Course.first(fm.train(), o.examples()), o.keep());
    Dataset test = Course.first(fm.test(), o.testExamples());
    long[] y = train.labelValues();
    long[] count = new long[10];
    for (long c : y) count[(int) c]++;
    out.printf("imbalanced Fashion-MNIST: %d training examples, per class %s (classes %s keep %.0f%%); %d test examples%n",
        train.size(), java.util.Arrays.toString(count), new java.util.TreeSet<>(MINORITY), 100 * o.keep(), test.size());
    out.flush();
    List<String> names = fm.classNames();
    ClassificationReport plain = train(train, test, o, false, onnx, names, out);
    ClassificationReport balanced = train(train, test, o, true, onnx, names, out);
    out.printf("%-14s %8s %8s%n", "test recall", "plain", "weighted");
    for (int c = 0; c < 10; c++) {
      out.printf("%-14.14s %8.4f %8.4f%s%n", c + " " + names.get(c), plain.recall(c), balanced.recall(c),
          MINORITY.contains((long) c) ? "   (rare)" : "");
    }
    out.printf("%-14s %8.4f %8.4f%n", "accuracy", plain.microF1(), balanced.microF1());
    out.printf("%-14s %8.4f %8.4f%n", "macro F1", plain.macroF1(), balanced.macroF1());
    out.printf("mean recall of the rare classes: plain %.4f, weighted sampler %.4f%n", rareRecall(plain), rareRecall(balanced));
    out.flush();
    return new Result(plain, balanced, train.size());
  }

  /** The mean recall over {@link #MINORITY}. */
  public static double rareRecall(ClassificationReport r) {
    double s = 0;
    for (long c : MINORITY) s += r.recall((int) c);
    return s / MINORITY.size();
  }

  private static ClassificationReport train(Dataset train, Dataset test, Options o, boolean weighted, Path onnx, List<String> names,
                                           PrintWriter out) {
    ConfusionMatrix cm = new ConfusionMatrix(10);
    try (Trainer t = Course.classifier(Mlp.build(o.seed()), o.lr(), o.seed(), cm).build()) {
      if (weighted) {
        t.fit(train.withWeightedSampling(train.classBalancedWeights(), o.seed()), null, o.epochs(), o.batchSize());
      } else {
        t.fit(train, null, o.epochs(), o.batchSize());
      }
      t.evaluate(test, 1000); // fills cm with the test predictions
      String which = weighted ? "weighted" : "plain";
      Path png = Course.sibling(onnx, "-" + which + "-confusion.png");
      cm.writePng(png, names);
      out.printf("%s sampling: test accuracy %.4f; confusion matrix %s%n", which, cm.result(), png);
      if (weighted) {
        double diff = t.exportAndVerify(onnx, Course.first(test, 256));
        out.printf("exported %s (max |ONNX Runtime - TensorFlow| %.2e)%n", onnx, diff);
      }
      return cm.report();
    }
  }
}
