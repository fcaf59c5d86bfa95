package dev.kiln.cli;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.onnx.OnnxRuntimeOptions;
import dev.kiln.runtime.spark.RingAllReduce;
import dev.kiln.runtime.spark.SharedMemoryAllReduce;
import dev.kiln.runtime.spark.SparkScorer;
import dev.kiln.runtime.spark.SparkSessions;
import dev.kiln.runtime.spark.SparkTrainer;
import dev.kiln.runtime.train.Collective;
import dev.kiln.runtime.train.DataParallelReplica;
import dev.kiln.runtime.train.ShardPlan;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The figures of docs/spark.md, printed (run by {@code scripts/bench-spark}, one mode per JVM so thread settings do
 * not leak between them): {@code train-spark W [BATCH]} (W Spark workers, TF at 1 thread each), {@code train-single}
 * (one process, TF at the threads the JVM's properties say), {@code ring} (all-reduce time against the gradient
 * size, 2 peers over loopback TCP), {@code score N} (N rows through Spark local[2] against one ONNX Runtime session).
 * Benchmarks never fail a build; this prints and exits.
 */
public final class SparkBench {
  private SparkBench() {}

  /**
   * Epochs per training run; the figure is the last one's (the first pay for graph compilation and for the JIT,
   * whose compiler threads take a core from the workers on this 2-core machine for the first seconds: with 2
   * epochs of 20,000 examples the measured epoch lasted under a second and still overlapped them).
   * {@code -Dkiln.bench.epochs=N} changes it.
   */
  static final int EPOCHS = Integer.getInteger("kiln.bench.epochs", 3);
  static final int BATCH = 128;
  /** How the workers sum gradients ({@code -Dkiln.bench.allReduce=TCP} forces the ring between local workers). */
  static final SparkTrainer.AllReduce ALL_REDUCE = SparkTrainer.AllReduce.valueOf(System.getProperty("kiln.bench.allReduce", "AUTO"));
  /** Fashion-MNIST training examples used ({@code -Dkiln.bench.examples=N}). */
  static final int LIMIT = Integer.getInteger("kiln.bench.examples", 60_000);

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ring";
    switch (mode) {
      case "train-spark" -> trainSpark(Integer.parseInt(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : BATCH);
      case "train-single" -> trainSingle();
      case "phases" -> phases();
      case "ring" -> ring();
      case "score" -> score(Integer.parseInt(args[1]));
      default -> throw new IllegalArgumentException("mode: train-spark W [BATCH] | phases | train-single | ring | score N");
    }
    System.exit(0);
  }

  /** The sample trained ({@code -Dkiln.bench.model=NAME}, a name {@code kiln train} knows; default the MLP). */
  static SparkTrain.SampleRecipe recipe() {
    String model = System.getProperty("kiln.bench.model", "mlp");
    return new SparkTrain.SampleRecipe(model, 42, 1e-3, "/usr/share/datasets/fashion-mnist", LIMIT, null);
  }

  /** W workers at global batch {@code batch} (default 128; a larger one shows scaling where computation dominates). */
  static void trainSpark(int workers, int batch) {
    SparkSession spark = SparkSessions.session("local[" + workers + "]");
    JavaSparkContext sc = SparkSessions.context(spark);
    SparkTrain.SampleRecipe r = recipe();
    SparkTrainer.Result res = SparkTrainer.fit(sc, r, SparkTrainer.Config.of(workers, EPOCHS, batch).withAllReduce(ALL_REDUCE));
    double s = res.history().last().seconds();
    System.out.printf("train-spark workers=%d batch=%d threads/worker=%s: %.0f samples/s (last epoch: %d steps in %.2f s; whole run with start-up %.1f s), all-reduce (%s) %.3f ms/step, %d bytes/step by worker 0%n",
        workers, batch, System.getProperty("kiln.tf.intraOpThreads", "default"), LIMIT / s, res.steps() / EPOCHS, s, res.seconds(),
        res.allReduceTransport(), 1e3 * res.allReducePerStep(), res.stepsRun() == 0 ? 0 : res.allReduceBytes() / res.stepsRun());
    System.out.printf("train-spark workers=%d phases of worker 0 (last epoch): %s%n", workers, res.phases());
    spark.stop();
  }

  static void trainSingle() {
    SparkTrain.SampleRecipe r = recipe();
    Dataset d = r.data();
    try (Trainer t = r.trainer().progress(false).build()) {
      double s = t.fit(d, null, EPOCHS, BATCH).last().seconds();
      System.out.printf("train-single threads=%s: %.0f samples/s (last epoch: %d steps in %.2f s)%n",
          System.getProperty("kiln.tf.intraOpThreads", "default"), LIMIT / s, d.batchCount(BATCH), s);
    }
  }

  /**
   * One replica alone (no Spark, no ring: {@link Collective#single()}) at the global batch, timed phase by phase,
   * beside the fused single-process step at the same threads: what splitting the step costs by itself.
   */
  static void phases() {
    SparkTrain.SampleRecipe r = recipe();
    Dataset d = r.data();
    try (DataParallelReplica replica = new DataParallelReplica(r.trainer().progress(false), Collective.single())) {
      ShardPlan plan = replica.globalOrder(d.size(), BATCH);
      DataParallelReplica.Options none = new DataParallelReplica.Options(null, 0, 0);
      replica.fit(d, plan, 1, none, null);
      replica.phases().reset();
      double s = replica.fit(d, plan, EPOCHS, none, null).last().seconds();
      System.out.printf("phases split step, 1 replica, batch %d, threads=%s: %.0f samples/s; %s%n", BATCH,
          System.getProperty("kiln.tf.intraOpThreads", "default"), LIMIT / s, replica.phases());
    }
    try (Trainer t = r.trainer().progress(false).build()) {
      double s = t.fit(d, null, EPOCHS, BATCH).last().seconds();
      System.out.printf("phases fused step, batch %d, threads=%s: %.0f samples/s, %.2f ms a step%n", BATCH,
          System.getProperty("kiln.tf.intraOpThreads", "default"), LIMIT / s, 1e3 * s / d.batchCount(BATCH));
    }
  }

  static void ring() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    for (int n : new int[] {1_000, 10_000, 100_000, 269_322, 1_000_000, 11_689_512}) {
      RingAllReduce a = new RingAllReduce(0, 2, "127.0.0.1");
      RingAllReduce b = new RingAllReduce(1, 2, "127.0.0.1");
      List<String> addrs = List.of("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
      Future<?> fa = pool.submit(() -> a.connect(addrs));
      b.connect(addrs);
      fa.get();
      int reps = n > 2_000_000 ? 5 : 30;
      ByteBuffer xa = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer xb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 3; i++) both(pool, a, b, xa, xb);  // warm-up
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) both(pool, a, b, xa, xb);
      double ms = (System.nanoTime() - t0) / 1e6 / reps;
      System.out.printf("ring W=2 loopback: %,d floats (%.1f MB): %.3f ms per all-reduce, %.2f GB/s of gradient%n", n, n * 4 / 1e6, ms,
          n * 4 / 1e6 / ms);
      a.close();
      b.close();
      // The same sum between two threads of one JVM, as local[2]'s workers do it (SparkTrainer.AllReduce.AUTO).
      SharedMemoryAllReduce sa = new SharedMemoryAllReduce("bench-" + n, 0, 2);
      SharedMemoryAllReduce sb = new SharedMemoryAllReduce("bench-" + n, 1, 2);
      for (int i = 0; i < 3; i++) both(pool, () -> sa.sum(xa), () -> sb.sum(xb));
      t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) both(pool, () -> sa.sum(xa), () -> sb.sum(xb));
      double shared = (System.nanoTime() - t0) / 1e6 / reps;
      System.out.printf("ring W=2 shared memory: %,d floats (%.1f MB): %.3f ms per all-reduce, %.2f GB/s of gradient%n", n, n * 4 / 1e6,
          shared, n * 4 / 1e6 / shared);
      sa.finish();
      sb.finish();
      sa.close();
      sb.close();
    }
    pool.shutdownNow();
  }

  private static void both(ExecutorService pool, Runnable a, Runnable b) throws Exception {
    Future<?> f = pool.submit(a);
    b.run();
    f.get();
  }

  private static void both(ExecutorService pool, RingAllReduce a, RingAllReduce b, ByteBuffer xa, ByteBuffer xb) throws Exception {
    Future<?> f = pool.submit(() -> a.sum(xa));
    b.sum(xb);
    f.get();
  }

  static void score(int rows) throws Exception {
    Model m = Model.define("scorer", 3, b -> {
      Tensor<F32> x = b.input("x", dev.kiln.dsl.DTypes.F32, "batch", 64);
      b.output("logits", x.linear("fc1", 128).relu().linear("fc2", 10));
    });
    byte[] model = OnnxExporter.export(m.graph()).toByteArray();
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[rows * 64];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    HostTensor in = HostTensor.ofFloats(x, rows, 64);
    try (OnnxRuntimeModel one = OnnxRuntimeModel.load(model, OnnxRuntimeOptions.cpu().intraOpThreads(1))) {
      for (int rep = 0; rep < 2; rep++) {
        long t0 = System.nanoTime();
        for (int from = 0; from < rows; from += 1024) {
          int n = Math.min(1024, rows - from);
          one.run(Map.of("x", HostTensor.ofFloats(java.util.Arrays.copyOfRange(x, from * 64, (from + n) * 64), n, 64)));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (rep == 1) System.out.printf("score single-process ORT (1 thread, batches of 1024): %,d rows in %.2f s, %.0f rows/s%n", rows, s, rows / s);
      }
    }
    SparkSession s = SparkSessions.session("local[2]");
    JavaSparkContext sc = SparkSessions.context(s);
    for (int rep = 0; rep < 2; rep++) {
      long t0 = System.nanoTime();
      SparkScorer.scoreArray(sc, model, in, 8, 1024);
      double sec = (System.nanoTime() - t0) / 1e9;
      if (rep == 1) System.out.printf("score Spark local[2] (8 partitions, batches of 1024, 1 ORT thread a task): %,d rows in %.2f s, %.0f rows/s%n", rows, sec, rows / sec);
    }
    s.stop();
  }

}
