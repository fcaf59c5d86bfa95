package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.KilnException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * k-fold cross-validation at the {@link Trainer} level: the data is split into k folds ({@link Dataset#kFold}, one
 * seeded shuffle, each example validated exactly once); for each fold a fresh trainer (new weights, from the factory)
 * trains on the other k - 1 folds and is evaluated on it. The result has each fold's loss and metrics, their means
 * and sample standard deviations (n - 1 in the denominator), and prints as a table.
 *
 * <pre>{@code
 * CrossValidation.Result r = CrossValidation.run(data, 5, 7, fold -> Trainer.builder(model(fold))...build(), 3, 128);
 * System.out.print(r.table());   // fold, train/val sizes, loss, metrics; then mean and std
 * }</pre>
 */
public final class CrossValidation {
  private CrossValidation() {}

  /** One fold: its index, train and validation sizes, validation loss and metrics, and the training history. */
  public record Fold(int index, int trainSize, int validationSize, Map<String, Double> validation, History history) {}

  /** The k folds' results. */
  public record Result(List<Fold> folds) {
    /** The columns: {@code loss}, then each metric. */
    public List<String> columns() { return List.copyOf(folds.get(0).validation().keySet()); }

    /** The validation values of {@code column} per fold. */
    public double[] values(String column) {
      if (!folds.get(0).validation().containsKey(column)) {
        throw new KilnException("cross-validation measured " + columns() + ", not '" + column + "'");
      }
      return folds.stream().mapToDouble(f -> f.validation().get(column)).toArray();
    }

    /** The mean over folds of {@code column}. */
    public double mean(String column) {
      double s = 0;
      for (double v : values(column)) s += v;
      return s / folds.size();
    }

    /** The sample standard deviation over folds of {@code column} (denominator k - 1). */
    public double std(String column) {
      double m = mean(column);
      double ss = 0;
      for (double v : values(column)) ss += (v - m) * (v - m);
      return Math.sqrt(ss / (folds.size() - 1));
    }

    /** A per-fold table with mean and standard deviation rows. */
    public String table() {
      StringBuilder sb = new StringBuilder(String.format("%-6s %7s %7s", "fold", "train", "val"));
      for (String c : columns()) sb.append(String.format(" %12s", "val_" + c));
      sb.append('\n');
      for (Fold f : folds) {
        sb.append(String.format("%-6d %7d %7d", f.index(), f.trainSize(), f.validationSize()));
        for (String c : columns()) sb.append(String.format(" %12.4f", f.validation().get(c)));
        sb.append('\n');
      }
      sb.append(String.format("%-22s", "mean"));
      for (String c : columns()) sb.append(String.format(" %12.4f", mean(c)));
      sb.append('\n').append(String.format("%-22s", "std"));
      for (String c : columns()) sb.append(String.format(" %12.4f", std(c)));
      return sb.append('\n').toString();
    }
  }

  /**
   * Runs k-fold cross-validation: {@code trainers.apply(fold)} must build a fresh trainer (its own model weights) for
   * each fold; each trains {@code epochs} epochs on the other folds and is evaluated (loss and its metrics) on the fold.
   */
  public static Result run(Dataset data, int k, long seed, IntFunction<Trainer> trainers, int epochs, int batchSize) {
    List<Dataset.Split> splits = data.kFold(k, seed);
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      Dataset.Split s = splits.get(f);
      try (Trainer t = trainers.apply(f)) {
        History h = t.fit(s.train(), null, epochs, batchSize);
        Map<String, Double> v = new LinkedHashMap<>(t.evaluate(s.validation(), batchSize));
        folds.add(new Fold(f, s.train().size(), s.validation().size(), v, h));
      }
    }
    return new Result(List.copyOf(folds));
  }
}
