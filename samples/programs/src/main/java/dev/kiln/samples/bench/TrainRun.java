package dev.kiln.samples.bench;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.Backends;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.StartupTrace;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.DType;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of one side of {@link TrainBenchmark}, alone in its own JVM so that its start-up, its peak memory and
 * its JIT warm-up are its own: {@code TrainRun SIDE MODEL EXAMPLES EPOCHS [FASHION_DIR]} loads the first EXAMPLES
 * Fashion-MNIST training examples, trains MODEL for EPOCHS epochs (softmax cross-entropy, Adam lr 1e-3, batch
 * 128, shuffled), and prints {@link StepTimes#resultLine}. Sides: {@value #KILN_TF}, {@value #KILN_ORT} (Kiln's
 * trainer on that back end) and {@value #TF_JAVA} (the hand-written TF-Java step, MLP and LeNet-5 only).
 */
public final class TrainRun {
  private TrainRun() {}

  static final String KILN_TF = "kiln-tf";
  static final String KILN_ORT = "kiln-ort";
  static final String TF_JAVA = "tf-java";
  /** The JVM sides, in the order a pair runs them. */
  static final List<String> JVM_SIDES = List.of(KILN_TF, KILN_ORT, TF_JAVA);

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println("usage: TrainRun {kiln-tf|kiln-ort|tf-java} MODEL EXAMPLES EPOCHS [FASHION_DIR]");
      System.exit(2);
    }
    StartupTrace.mark("main entered");
    String side = args[0];
    // NOTE: first, so TF's native library loads while the data is read and the model built (issue 22).
    if (!side.equals(KILN_ORT)) Backends.named("tensorflow").preload();
    else Backends.named("onnxruntime").preload();
    BenchModels.BenchModel model = BenchModels.model(args[1]);
    int n = Integer.parseInt(args[2]);
    int epochs = Integer.parseInt(args[3]);
    Dataset data = BenchModels.fashion(model, n, args.length > 4 ? Path.of(args[4]) : FashionMnist.DEFAULT_DIR);
    StartupTrace.mark("Fashion-MNIST read");
    StepTimes times = new StepTimes();
    switch (side) {
      case KILN_TF -> kiln(model, data, epochs, "tensorflow", times);
      case KILN_ORT -> kiln(model, data, epochs, "onnxruntime", times);
      case TF_JAVA -> {
        if (!TfReference.supports(model.name())) throw new IllegalArgumentException("no hand-written TF-Java step for " + model.name());
        TfReference.train(model.name(), data.features().toFloats(), data.labels().toLongs(), epochs, times);
      }
      default -> throw new IllegalArgumentException("unknown side '" + side + "': one of " + JVM_SIDES);
    }
    if (StartupTrace.enabled()) StartupTrace.mark("end of training; memory " + PeakMemory.breakdown());
    System.out.println(times.resultLine((long) n * epochs, Math.min(n, BenchModels.BATCH)));
  }

  /** Kiln's trainer on {@code backend}, as a user writes it. */
  static void kiln(BenchModels.BenchModel model, Dataset data, int epochs, String backend, StepTimes times) {
    TrainingCallback timer = new TrainingCallback() {
      @Override public void onStepEnd(Trainer t, long step, double loss) {
        if (times.steps() == 0) StartupTrace.mark("first step done");
        times.stepEnded();
      }
    };
    dev.kiln.dsl.Model m = model.build().apply(1);
    StartupTrace.mark("model built (DSL to IR)");
    try (Trainer t = Trainer.builder(m).backend(backend)
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.adam(0.9, 0.999, 1e-8))
        .learningRate(1e-3).seed(1).labels(DType.I64).callbacks(timer).progress(false).build()) {
      t.fit(data, null, epochs, BenchModels.BATCH);
    }
  }
}
