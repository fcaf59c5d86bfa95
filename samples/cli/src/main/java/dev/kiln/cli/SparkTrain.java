package dev.kiln.cli;

import dev.kiln.dsl.Model;
import dev.kiln.models.Mlp;
import dev.kiln.models.Standardize;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.spark.SparkSessions;
import dev.kiln.runtime.spark.SparkTrainer;
import dev.kiln.runtime.spark.TrainingRecipe;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainerBuilder;
import dev.kiln.samples.Samples;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code kiln train SAMPLE --spark MASTER --workers N}: the Fashion-MNIST recipe of {@code kiln train} (Adam,
 * cross-entropy, accuracy), trained data-parallel on Spark ({@link SparkTrainer}), then evaluated, exported and
 * checked in ONNX Runtime as the single-process run is. Only this class names Spark, so {@code kiln} loads Spark's
 * classes only when {@code --spark} is given.
 */
final class SparkTrain {
  private SparkTrain() {}

  /**
   * The sample recipe every replica builds for itself (serializable: Spark ships it to the tasks).
   *
   * @param backend the training back end's name, or null for the default
   * @param cosineSteps steps over which Adam's learning rate is annealed to 0 along a cosine (0: constant)
   * @param inputMean with {@code inputStd}, the MLP standardises its input with these (the training set's; null: raw)
   */
  record SampleRecipe(String sample, long seed, double learningRate, String dataDir, Integer trainLimit, String backend,
                      long cosineSteps, Double inputMean, Double inputStd) implements TrainingRecipe {
    SampleRecipe(String sample, long seed, double learningRate, String dataDir, Integer trainLimit, String backend) {
      this(sample, seed, learningRate, dataDir, trainLimit, backend, 0, null, null);
    }

    Model model() {
      if (sample.equals("mlp") && inputMean != null) return Mlp.build(seed, new Standardize(inputMean, inputStd));
      return Samples.get(sample).build().apply(seed);
    }

    /**
     * This recipe with the MLP recipe of {@code ./kiln demo} ({@link dev.kiln.samples.FashionMnistDemo}) for a run of
     * {@code epochs} at {@code batchSize}: Adam's learning rate annealed to 0 along a cosine over the run and, for
     * the MLP, inputs standardised with the training set's mean and std inside the model (so the ONNX file takes
     * raw pixels). NOTE: measured: the constant-rate recipe on raw pixels ends at 0.875 after 5 epochs, single
     * process or Spark alike; this one reaches 0.887 single-process (docs/spark.md).
     */
    SampleRecipe annealed(int epochs, int batchSize, Dataset train) {
      Standardize s = sample.equals("mlp") ? Standardize.of(train.features()) : null;
      return new SampleRecipe(sample, seed, learningRate, dataDir, trainLimit, backend, (long) epochs * train.batchCount(batchSize),
          s == null ? null : s.mean(), s == null ? null : s.std());
    }

    boolean images() {
      List<Value> in = model().graph().inputs().stream().filter(v -> !v.name().equals(TrainingForm.STEP)).toList();
      return in.size() == 1 && in.get(0).type().rank() == 4;
    }

    @Override public TrainerBuilder trainer() {
      Model m = model();
      TrainerBuilder b = Trainer.builder(m).optimizer(Optimizers.adam(0.9, 0.999, 1e-8))
          .schedule(cosineSteps > 0 ? Schedules.cosine(learningRate, cosineSteps, 0) : Schedules.constant(learningRate))
          .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), m.graph().outputs().get(0).name()).seed(seed).metrics(Metric.accuracy());
      return backend == null ? b : b.backend(backend);
    }

    @Override public Dataset data() {
      Dataset train = FashionMnist.load(Path.of(dataDir), images()).train();
      return trainLimit == null || trainLimit >= train.size() ? train : train.subset(java.util.stream.IntStream.range(0, trainLimit).toArray());
    }
  }

  /** Trains, prints the history and the test accuracy lines, writes {@code onnx}; returns the exit code. */
  static int run(String master, int workers, SampleRecipe recipe, int epochs, int batchSize, Integer testLimit, Path onnx,
                 Path checkpoint, PrintWriter out) {
    if (workers < 1) throw new KilnException("--workers must be >= 1, got " + workers);
    Model model = recipe.model();
    if (model.graph().outputs().size() != 1) throw new KilnException("sample " + recipe.sample() + " has several outputs; --spark trains one-output samples");
    FashionMnist data = FashionMnist.load(Path.of(recipe.dataDir()), recipe.images());
    Dataset test = data.test();
    if (testLimit != null && testLimit < test.size()) test = test.subset(java.util.stream.IntStream.range(0, testLimit).toArray());
    recipe = recipe.annealed(epochs, batchSize, recipe.data());
    shareCoresAmongLocalWorkers(master, workers);
    SparkSession spark = SparkSessions.session(master);
    try {
      JavaSparkContext sc = SparkSessions.context(spark);
      out.printf("Spark %s (%s): %d workers, global batch %d (%d a worker); Adam lr %g cosine-annealed to 0 over %d steps%s%n",
          spark.version(), master, workers, batchSize, batchSize / workers, recipe.learningRate(), recipe.cosineSteps(),
          recipe.inputMean() == null ? "" : String.format(java.util.Locale.ROOT, "; inputs standardised (training mean %.4f, std %.4f)",
              recipe.inputMean(), recipe.inputStd()));
      out.flush();
      SparkTrainer.Config config = SparkTrainer.Config.of(workers, epochs, batchSize).withCheckpoint(checkpoint, 0);
      SparkTrainer.Result r = SparkTrainer.fit(sc, recipe, config);
      out.print(r.history());
      out.printf("Spark: %d steps in %.1f s (%d attempt%s), all-reduce (%s) %.2f ms a step (%d bytes a step by worker 0); checkpoint %s%n",
          r.steps(), r.seconds(), r.attempts(), r.attempts() == 1 ? "" : "s", r.allReduceTransport(), 1e3 * r.allReducePerStep(),
          r.stepsRun() == 0 ? 0 : r.allReduceBytes() / r.stepsRun(), r.checkpoint());
      try (Trainer t = SparkTrainer.restore(recipe, r)) {
        String output = model.graph().outputs().get(0).name();
        double accuracy = t.evaluate(test, 1000).get("accuracy");
        double diff = t.exportAndVerify(onnx, test.subset(java.util.stream.IntStream.range(0, Math.min(256, test.size())).toArray()));
        double ort = onnxAccuracy(onnx, output, test);
        String on = t.backend().name().equals("tensorflow") ? "TensorFlow" : t.backend().name();
        out.printf("test accuracy (%s):   %.4f%n", on, accuracy);
        out.printf("test accuracy (ONNX Runtime): %.4f   (%s; max |TF - ORT| on 256 examples %.2e)%n", ort, onnx, diff);
      }
      out.flush();
      return 0;
    } finally {
      spark.stop();
    }
  }

  private static double onnxAccuracy(Path onnx, String output, Dataset test) {
    Metric acc = Metric.accuracy();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      String input = m.inputs().get(0).name();
      for (var b : test.batches(1000, false, 0)) acc.update(m.run(Map.of(input, b.features())).get(output), b.labels());
    }
    return acc.result();
  }

  /**
   * In a local master every worker's TF session lives in this JVM: unless the user set TF's thread counts, each
   * worker gets its share of the cores (and, with a count set, its own pools: TfSessions), instead of all of them
   * queueing on TF's process-wide pools (Kotlin CNN, 2 workers on 2 cores: epoch 1.9 s against 2.2 s, same results).
   */
  private static void shareCoresAmongLocalWorkers(String master, int workers) {
    if (!master.startsWith("local")) return;
    if (System.getProperty("kiln.tf.intraOpThreads") != null || System.getProperty("kiln.tf.interOpThreads") != null) return;
    int cores = Runtime.getRuntime().availableProcessors();
    System.setProperty("kiln.tf.intraOpThreads", String.valueOf(Math.max(1, cores / workers)));
    System.setProperty("kiln.tf.interOpThreads", "1");
  }
}
