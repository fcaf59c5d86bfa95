package dev.kiln.samples.bench;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.DType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The protocol {@code kiln bench} used before the real-data benchmark ({@link TrainBenchmark}), kept only so
 * that {@code scripts/bench-ab} compares like with like against builds that have nothing else: Kiln on
 * TensorFlow-Java, synthetic data (uniform pixels, uniform random labels), in one JVM; one cold epoch, a warm-up
 * epoch, then 3 epochs alternating with the hand-written step ({@link TfReference}) for the MLP and LeNet-5,
 * and the fastest epoch counts. Prints {@code kiln/tf   : <samples/s> samples/s ...} as the old builds did.
 * Not a comparison with other frameworks: use {@link TrainBenchmark} for that.
 */
public final class LegacyEpochBench {
  private LegacyEpochBench() {}

  /** Epochs whose fastest counts. */
  static final int ROUNDS = 3;

  /** One epoch's figures. */
  record Figures(double samplesPerSecond, double medianStepMs, double firstStepSeconds) {}

  /** Trains {@code model} for one epoch of {@code n} synthetic examples on TensorFlow-Java and measures it. */
  static Figures kiln(BenchModels.BenchModel model, int n) {
    Dataset data = BenchModels.synthetic(model, n);
    long start = System.nanoTime();
    List<Long> ends = new ArrayList<>();
    TrainingCallback timer = new TrainingCallback() {
      @Override public void onStepEnd(Trainer t, long step, double loss) { ends.add(System.nanoTime()); }
    };
    try (Trainer t = Trainer.builder(model.build().apply(1)).backend("tensorflow")
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.adam(0.9, 0.999, 1e-8))
        .learningRate(1e-3).seed(1).labels(DType.I64).callbacks(timer).progress(false).build()) {
      t.fit(data, null, 1, BenchModels.BATCH);
    }
    return figures(ends, n, start);
  }

  static Figures figures(List<Long> ends, int n, long start) {
    double[] steps = new double[ends.size() - 1];
    for (int i = 1; i < ends.size(); i++) steps[i - 1] = (ends.get(i) - ends.get(i - 1)) / 1e6;
    double rate = (n - BenchModels.BATCH) / ((ends.get(ends.size() - 1) - ends.get(0)) / 1e9);
    return new Figures(rate, BenchModels.median(steps), (ends.get(0) - start) / 1e9);
  }

  /** The faster epoch of two runs of one side, with the first (cold) run's start-to-first-step. */
  static Figures faster(Figures first, Figures second) {
    Figures f = second.samplesPerSecond() > first.samplesPerSecond() ? second : first;
    return new Figures(f.samplesPerSecond(), f.medianStepMs(), first.firstStepSeconds());
  }

  /** Runs the old protocol for {@code model} on {@code n} examples and prints its lines. */
  public static void run(String modelName, int n, PrintStream out) {
    BenchModels.BenchModel model = BenchModels.model(modelName);
    out.printf(Locale.ROOT, "legacy protocol (synthetic data, fastest of %d epochs), %s, %d examples%n", ROUNDS, model.name(), n);
    Figures cold = kiln(model, n);
    Figures k = cold;
    if (TfReference.supports(model.name())) {
      TfReference.synthetic(model.name(), n);
      k = kiln(model, n);
      for (int round = 1; round < ROUNDS; round++) {
        TfReference.synthetic(model.name(), n);
        k = faster(k, kiln(model, n));
      }
    } else {
      for (int round = 1; round < ROUNDS; round++) k = faster(k, kiln(model, n));
    }
    out.println(String.format(Locale.ROOT, "%-10s: %8.0f samples/s  median step %7.2f ms  start-to-first-step %5.2f s",
        "kiln/tf", k.samplesPerSecond(), k.medianStepMs(), cold.firstStepSeconds()));
  }
}
