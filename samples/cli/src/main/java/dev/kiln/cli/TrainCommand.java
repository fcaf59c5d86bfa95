package dev.kiln.cli;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.Samples;
import dev.kiln.samples.TransformerDemo;
import dev.kiln.samples.kotlin.FashionMnistSettings;
import dev.kiln.samples.kotlin.FashionMnistTraining;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln train SAMPLE}: trains a sample model on Fashion-MNIST with the Kotlin training recipe
 * ({@link FashionMnistTraining}), exports it to ONNX and evaluates the file in ONNX Runtime; {@code resnet} and
 * {@code unet} train with their own recipes instead ({@link SampleRecipes}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a sample model on Fashion-MNIST (TensorFlow, Adam, cross-entropy), export it to ONNX and "
        + "evaluate it in ONNX Runtime.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SAMPLE", completionCandidates = Samples.Names.class,
      description = "The sample model: ${COMPLETION-CANDIDATES}.")
  String sample;

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE.onnx", description = "Where to write the trained model (default: SAMPLE.onnx).")
  Path output;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = new FashionMnistSettings().getEpochs();

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize = new FashionMnistSettings().getBatchSize();

  @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = new FashionMnistSettings().getLearningRate();

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
  long seed = Model.DEFAULT_SEED;

  @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training examples only (quick runs).")
  Integer trainLimit;

  @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate on the first N test examples only.")
  Integer testLimit;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Train data-parallel on Spark: local[N] (embedded) or spark://host:port (docs/spark.md).")
  String spark;

  @Option(names = "--workers", paramLabel = "N", description = "Spark replicas (barrier tasks) with --spark (default: ${DEFAULT-VALUE}).")
  int workers = 2;

  @Option(names = "--checkpoint", paramLabel = "FILE", description = "With --spark: the checkpoint to write and resume from.")
  Path checkpoint;

  @Spec CommandSpec spec;

  @Mixin BackendOption backend = new BackendOption();

  @Mixin DeviceOption device = new DeviceOption();

  @Override public Integer call() throws Exception {
    backend.apply();
    device.apply(backend);
    if (sample.equals("transformer")) return trainTransformer();
    Samples.Sample s = Samples.get(sample);
    Path onnx = output != null ? output : Path.of(s.name() + ".onnx");
    if (spark != null) {
      // Only SparkTrain names Spark's classes: without --spark they are never loaded.
      return SparkTrain.run(spark, workers, new SparkTrain.SampleRecipe(s.name(), seed, learningRate, data.toAbsolutePath().toString(),
          trainLimit, backend.backend), epochs, batchSize, testLimit, onnx, checkpoint, spec.commandLine().getOut());
    }
    if (SampleRecipes.has(s.name())) {
      // These samples have their own recipes; only the options given explicitly override them.
      var given = spec.commandLine().getParseResult();
      Integer e = given.hasMatchedOption("--epochs") ? epochs : null;
      SampleRecipes.run(s.name(), e, data, onnx, seed, trainLimit, testLimit, spec.commandLine().getOut());
      return 0;
    }
    FashionMnistSettings settings = new FashionMnistSettings(epochs, batchSize, learningRate, seed, trainLimit, testLimit);
    FashionMnistTraining.run(s.build().apply(seed), data, onnx, settings, spec.commandLine().getOut());
    return 0;
  }

  /**
   * The transformer sample trains on its own synthetic task (reversing token sequences, {@link TransformerDemo});
   * --epochs, --lr, --seed and --limit (training sequences) apply when given.
   */
  private Integer trainTransformer() {
    var parsed = spec.commandLine().getParseResult();
    TransformerDemo.Settings d = TransformerDemo.Settings.defaults();
    TransformerDemo.Settings s = new TransformerDemo.Settings(trainLimit != null ? trainLimit : d.trainSize(),
        parsed.hasMatchedOption("--epochs") ? epochs : d.epochs(), d.width(), d.heads(), d.layers(),
        parsed.hasMatchedOption("--lr") ? learningRate : d.learningRate(), parsed.hasMatchedOption("--seed") ? seed : d.seed());
    Path onnx = output != null ? output : Path.of("transformer.onnx");
    TransformerDemo.Result r = TransformerDemo.run(s, onnx, System.out);
    spec.commandLine().getOut().printf("transformer reversing %d tokens: held-out token accuracy %.4f (TensorFlow), %.4f (ONNX Runtime,"
        + " %s), max |ORT - TF| logit %.2e, %.1f s%n", TransformerDemo.LENGTH, r.tokenAccuracy(), r.onnxTokenAccuracy(), onnx,
        r.maxDifference(), r.seconds());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
