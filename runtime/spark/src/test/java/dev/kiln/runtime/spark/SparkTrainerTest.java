package dev.kiln.runtime.spark;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.EpochRecord;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.ProgressReporter;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainerBuilder;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.HostTensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: two replicas in an embedded {@code local[2]} Spark, at half the batch each, follow single-process training
 * step for step (MLP and LeNet-5, 100 steps, 1e-4 relative); a task killed mid-epoch is retried from the checkpoint
 * and the run ends where an unbroken run ends; the driver draws the run's progress bar.
 */
class SparkTrainerTest {
  static JavaSparkContext sc;

  @BeforeAll
  static void start() { sc = SparkSessions.local(2); }

  @AfterAll
  static void stop() { if (sc != null) sc.stop(); }

  /** Rank 0's loss per global step, by run tag (Spark runs the tasks in this JVM: local mode). */
  static final Map<String, Map<Long, Double>> LOSSES = new ConcurrentHashMap<>();
  /** The tags of the recipes whose task has failed once, at the step the recipe names. */
  static final java.util.Set<String> FAILED = ConcurrentHashMap.newKeySet();

  record Recipe(String model, int n, long dataSeed, String tag, long failAt) implements TrainingRecipe {
    @Override public TrainerBuilder trainer() {
      Model m = model.equals("mlp") ? mlp() : lenet5();
      return Trainer.builder(m).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.adam(0.9, 0.999, 1e-7))
          .learningRate(0.003).seed(7).metrics(Metric.accuracy()).progress(false);
    }

    @Override public Dataset data() { return SparkTrainerTest.data(n, model.equals("mlp") ? new long[] {0, 20} : new long[] {0, 1, 28, 28}, dataSeed); }

    @Override public void onStep(int rank, long step, double loss) {
      if (rank == 0) LOSSES.computeIfAbsent(tag, t -> new ConcurrentHashMap<>()).put(step, loss);
      if (rank == 1 && step == failAt && FAILED.add(tag)) throw new IllegalStateException("task killed on purpose at step " + step);
    }
  }

  static Model mlp() {
    return Model.define("mlp", 5, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 20);
      m.output("logits", x.linear("fc1", 32).relu().linear("fc2", 4));
    });
  }

  static Model lenet5() {
    return Model.define("lenet5", 5, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 1, 28, 28);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(6).kernel(5).padding(Padding.explicit(2))).relu().maxPool2d(2);
      h = h.conv2d("conv2", Conv.out(16).kernel(5)).relu().maxPool2d(2).flatten();
      m.output("logits", h.linear("fc1", 120).relu().linear("fc2", 84).relu().linear("fc3", 4));
    });
  }

  /** Learnable labels: the argmax of a fixed random projection of the features. */
  static Dataset data(int n, long[] shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = 1;
    for (int i = 1; i < shape.length; i++) d *= (int) shape[i];
    float[] x = new float[n * d];
    float[] w = new float[d * 4];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 4; c++) {
        double s = 0;
        for (int k = 0; k < d; k++) s += x[i * d + k] * w[k * 4 + c];
        if (s > best) { best = s; y[i] = c; }
      }
    }
    long[] full = shape.clone();
    full[0] = n;
    return new Dataset(HostTensor.ofFloats(x, full), HostTensor.ofLongs(y, n));
  }

  static List<Double> singleProcess(Recipe r, int epochs, int batch) {
    List<Double> losses = new ArrayList<>();
    try (Trainer t = r.trainer().callbacks(new TrainingCallback() {
      @Override public void onStepEnd(Trainer tr, long step, double loss) { losses.add(loss); }
    }).build()) {
      t.fit(r.data(), null, epochs, batch);
    }
    return losses;
  }

  static void sameCurve(Recipe r, int epochs, int batch, SparkTrainer.AllReduce how) {
    List<Double> want = singleProcess(r, epochs, batch);
    assertEquals(100, want.size(), "100 steps");
    SparkTrainer.Result res = SparkTrainer.fit(sc, r, SparkTrainer.Config.of(2, epochs, batch).withAllReduce(how));
    // local[2] runs both tasks in this JVM: AUTO sums through shared memory, TCP takes the cluster's path.
    assertEquals(how == SparkTrainer.AllReduce.TCP ? "TCP ring" : "shared memory", res.allReduceTransport());
    assertEquals(100, res.steps());
    assertEquals(1, res.attempts());
    Map<Long, Double> got = LOSSES.get(r.tag());
    for (int i = 0; i < want.size(); i++) {
      double w = want.get(i);
      assertEquals(w, got.get(i + 1L), 1e-4 * Math.abs(w), r.model() + " step " + (i + 1));
    }
    assertTrue(want.get(99) < 0.7 * want.get(0), "it learns: " + want.get(0) + " -> " + want.get(99));
    assertTrue(res.allReduceBytes() > 0, "the gradients were exchanged");
    // Every worker's step phases come back, by rank, each with the last epoch's steps.
    assertEquals(2, res.phasesByWorker().size());
    for (var p : res.phasesByWorker()) assertTrue(p.steps() > 0 && p.spread().startsWith("own work p10/p50/p90"), p.spread());
  }

  @Test
  void twoWorkersAtHalfTheBatchFollowOneProcessMlp() {
    // 640 examples, global batch 32: 20 steps an epoch, 5 epochs
    sameCurve(new Recipe("mlp", 640, 1, "mlp", -1), 5, 32, SparkTrainer.AllReduce.AUTO);
  }

  @Test
  void twoWorkersAtHalfTheBatchFollowOneProcessMlpOverTheTcpRing() {
    sameCurve(new Recipe("mlp", 640, 1, "mlp-tcp", -1), 5, 32, SparkTrainer.AllReduce.TCP);
  }

  @Test
  void twoWorkersAtHalfTheBatchFollowOneProcessLeNet5() {
    // 160 examples, global batch 16: 10 steps an epoch, 10 epochs
    sameCurve(new Recipe("lenet", 160, 2, "lenet", -1), 10, 16, SparkTrainer.AllReduce.AUTO);
  }

  @Test
  void aDataFrameTrainsWithEachWorkerReadingItsOwnPartition() {
    Recipe r = new Recipe("mlp", 640, 4, "frame", -1);
    Dataset d = r.data();
    float[] x = d.features().toFloats();
    long[] y = d.labels().toLongs();
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      List<Float> f = new ArrayList<>();
      for (int k = 0; k < 20; k++) f.add(x[i * 20 + k]);
      rows.add(org.apache.spark.sql.RowFactory.create(f, y[i]));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType))
        .add("label", org.apache.spark.sql.types.DataTypes.LongType);
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame = spark.createDataFrame(rows, schema);
    SparkTrainer.Result res = SparkTrainer.fit(spark, r, frame, "features", "label", SparkTrainer.Config.of(2, 5, 32));
    // about 320 rows a partition, 16 a step: about 20 steps an epoch, as the smaller partition allows
    assertTrue(res.steps() >= 90 && res.steps() <= 100 && res.steps() % 5 == 0, "steps " + res.steps());
    try (Trainer t = SparkTrainer.restore(r, res)) {
      double acc = t.evaluate(d, 64).get("accuracy");
      assertTrue(acc > 0.6, "trained from the DataFrame: " + acc);
    }
    Exception bad = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> SparkTrainer.fit(spark, r, frame, "pixels", "label", SparkTrainer.Config.of(2, 1, 32)));
    assertTrue(bad.getMessage().contains("no features column 'pixels'"), bad.getMessage());
  }

  @Test
  void aTaskKilledMidEpochIsRetriedFromTheCheckpoint() throws Exception {
    Path dir = Files.createTempDirectory("kiln-spark-fault");
    Recipe clean = new Recipe("mlp", 320, 3, "clean", -1);
    SparkTrainer.Result a = SparkTrainer.fit(sc, clean, SparkTrainer.Config.of(2, 4, 32).withCheckpoint(dir.resolve("clean.ckpt"), 5));
    Dataset d = clean.data();
    // Shared memory (local mode's way) and the TCP ring (a cluster's): the surviving replica is released either way.
    for (SparkTrainer.AllReduce how : SparkTrainer.AllReduce.values()) {
      Recipe broken = new Recipe("mlp", 320, 3, "broken-" + how, 27);  // epoch 3 of 10-step epochs, after the step-25 checkpoint
      SparkTrainer.Result b = SparkTrainer.fit(sc, broken,
          SparkTrainer.Config.of(2, 4, 32).withCheckpoint(dir.resolve(how + ".ckpt"), 5).withAllReduce(how));
      assertTrue(FAILED.contains(broken.tag()), "the task was killed");
      assertEquals(2, b.attempts(), "one retry");
      assertEquals(40, b.steps());
      try (Trainer ta = SparkTrainer.restore(clean, a); Trainer tb = SparkTrainer.restore(broken, b)) {
        assertEquals(40, tb.step(), "the checkpoint is whole and final");
        assertEquals(4, tb.epochs());
        double accA = ta.evaluate(d, 64).get("accuracy");
        double accB = tb.evaluate(d, 64).get("accuracy");
        assertEquals(accA, accB, 0.005, "same final accuracy");
        // NOTE: the retry resumes exactly (same shards, same order), so it is in fact the same model.
        assertEquals(ta.variables().get("fc1.weight"), tb.variables().get("fc1.weight"), how.toString());
      }
      assertEquals(LOSSES.get("clean").get(40L), LOSSES.get(broken.tag()).get(40L));
    }
  }

  /**
   * The progress bar of a Spark run is drawn on the driver (ProgressRelay), once, with the figures of the global
   * batches (summed over the workers): in line mode, one line per epoch whose loss and accuracy are the history's.
   * The driver's bar writes to {@link #DRAWN} (a static: the recipe is shipped to the tasks, a stream cannot be).
   */
  static final ByteArrayOutputStream DRAWN = new ByteArrayOutputStream();

  record ProgressRecipe(int n) implements TrainingRecipe {
    @Override public TrainerBuilder trainer() {
      return Trainer.builder(mlp()).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
          .optimizer(Optimizers.adam(0.9, 0.999, 1e-7)).learningRate(0.003).seed(7).metrics(Metric.accuracy())
          .progress(new ProgressReporter("accuracy", true, new PrintStream(DRAWN, true, StandardCharsets.UTF_8), false));
    }

    @Override public Dataset data() { return SparkTrainerTest.data(n, new long[] {0, 20}, 3); }
  }

  @Test
  void theDriverDrawsOneProgressBarAggregatedOverTheWorkers() {
    SparkTrainer.Result r = SparkTrainer.fit(sc, new ProgressRecipe(512), SparkTrainer.Config.of(2, 2, 64));
    String text = DRAWN.toString(StandardCharsets.UTF_8);
    assertTrue(text.lines().allMatch(l -> l.startsWith("epoch ")), text);
    // Line mode prints each epoch's last line (and one every 10 s): two epochs of 8 steps, each ended once.
    List<String> ends = text.lines().filter(l -> l.contains(" 8/8 ")).toList();
    assertEquals(2, ends.size(), text);
    for (int e = 1; e <= 2; e++) {
      EpochRecord h = r.history().records().get(e - 1);
      String want = String.format(Locale.ROOT, "epoch %d/2 8/8 loss %.4f accuracy %.4f ", e, h.trainLoss(), h.trainMetrics().get("accuracy"));
      assertTrue(ends.get(e - 1).startsWith(want), "line " + e + ": '" + ends.get(e - 1) + "', expected it to start with '" + want + "'");
      assertTrue(ends.get(e - 1).endsWith("samples/s"), ends.get(e - 1));
    }
  }
}
