package dev.kiln.samples.course;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.CrossValidation;
import dev.kiln.runtime.train.Metric;
import dev.kiln.models.Mlp;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * k-fold cross-validation ({@link CrossValidation}) of the Fashion-MNIST MLP on a subset of the training set: k runs,
 * each from fresh weights (seed + fold), trained on k - 1 folds and scored on the held-out one; prints the per-fold
 * table and the mean and standard deviation of the validation accuracy. {@code kiln train kfold}.
 */
public final class CrossValidationDemo {
  private CrossValidationDemo() {}

  /** Examples, folds, epochs per fold, batch size, Adam's rate, seed. */
  public record Options(int examples, int k, int epochs, int batchSize, double lr, long seed) {
    public static Options defaults() { return new Options(6000, 5, 2, 128, 1e-3, 42); }
  }

  public static CrossValidation.Result run(Path dataDir, Options o, PrintWriter out) {
    Dataset data = Course.first(FashionMnist.load(dataDir, false).train(), o.examples());
    out.printf("%d-fold cross-validation of the MLP on %d Fashion-MNIST training examples, %d epochs per fold%n",
        o.k(), data.size(), o.epochs());
    out.flush();
    CrossValidation.Result r = CrossValidation.run(data, o.k(), o.seed(),
        fold -> Course.classifier(Mlp.build(o.seed() + fold), o.lr(), o.seed(), Metric.accuracy()).build(), o.epochs(), o.batchSize());
    out.print(r.table());
    out.printf("validation accuracy %.4f +- %.4f (mean +- sample std over %d folds)%n", r.mean("accuracy"), r.std("accuracy"), o.k());
    out.flush();
    return r;
  }
}
