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
 * (one process, TF at the threads the JVM's properties say), {@code phases} (one replica's step phase by phase),
 * {@code threads W [split]} and {@code threads-sum W} (W replicas as threads of one JVM: apart, or summing through
 * shared memory without Spark; {@code scripts/bench-spark decompose}), {@code ring} (all-reduce time against the
 * gradient size, 2 peers over loopback TCP and in shared memory), {@code score N} (N rows through Spark local[2]
 * against one ONNX Runtime session).
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
  /**
   * The epoch {@code train-single} reports (1-based; default the last). Processes started together to run side by
   * side ({@code scripts/bench-spark independent}) report a middle one, which all of them spend running: their
   * last epochs would partly run alone, as one JVM starts or ends a second before another.
   */
  static final int REPORT_EPOCH = Integer.getInteger("kiln.bench.reportEpoch", EPOCHS);
  /**
   * The global batch of {@code train-single} and {@code phases}, and {@code train-spark}'s default
   * ({@code -Dkiln.bench.batch=N}: {@code scripts/bench-spark independent} runs single processes at 128 / W).
   */
  static final int BATCH = Integer.getInteger("kiln.bench.batch", 128);
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
      case "threads" -> threads(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("split"));
      case "threads-sum" -> threadsSum(Integer.parseInt(args[1]));
      case "ring" -> ring();
      case "score" -> score(Integer.parseInt(args[1]));
      default -> throw new IllegalArgumentException("mode: train-spark W [BATCH] | phases | train-single | threads W [split] | threads-sum W | ring | score N");
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
    if (Boolean.getBoolean("kiln.bench.threadCpu")) ThreadCpuSampler.start();
    SparkSession spark = SparkSessions.session("local[" + workers + "]");
    JavaSparkContext sc = SparkSessions.context(spark);
    SparkTrain.SampleRecipe r = recipe();
    SparkTrainer.Result res = SparkTrainer.fit(sc, r, SparkTrainer.Config.of(workers, EPOCHS, batch).withAllReduce(ALL_REDUCE));
    double s = res.history().last().seconds();
    System.out.printf("train-spark workers=%d batch=%d threads/worker=%s: %.0f samples/s (last epoch: %d steps in %.2f s; whole run with start-up %.1f s), all-reduce (%s) %.3f ms/step, %d bytes/step by worker 0%n",
        workers, batch, System.getProperty("kiln.tf.intraOpThreads", "default"), LIMIT / s, res.steps() / EPOCHS, s, res.seconds(),
        res.allReduceTransport(), 1e3 * res.allReducePerStep(), res.stepsRun() == 0 ? 0 : res.allReduceBytes() / res.stepsRun());
    System.out.printf("train-spark workers=%d phases of worker 0 (last epoch): %s%n", workers, res.phases());
    for (int w = 0; w < res.phasesByWorker().size(); w++) {
      System.out.printf("train-spark workers=%d worker %d steps (last epoch): %s%n", workers, w, res.phasesByWorker().get(w).spread());
    }
    StringBuilder epochs = new StringBuilder();
    for (var e : res.history().records()) epochs.append(String.format(" %.0f", LIMIT / e.seconds()));
    System.out.printf("train-spark workers=%d samples/s epoch by epoch:%s%n", workers, epochs);
    spark.stop();
  }

  static void trainSingle() {
    SparkTrain.SampleRecipe r = recipe();
    Dataset d = r.data();
    try (Trainer t = r.trainer().progress(false).build()) {
      double s = t.fit(d, null, EPOCHS, BATCH).records().get(REPORT_EPOCH - 1).seconds();
      System.out.printf("train-single threads=%s batch=%d: %.0f samples/s (epoch %d of %d: %d steps in %.2f s)%n",
          System.getProperty("kiln.tf.intraOpThreads", "default"), BATCH, LIMIT / s, REPORT_EPOCH, EPOCHS, d.batchCount(BATCH), s);
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

  /**
   * W replicas as threads of this one JVM, each training alone (no Spark, no gradient sum) at batch 128 / W:
   * the fused step, or with {@code split} the data-parallel replica's gradients-then-apply with a one-member
   * collective. Prints the summed samples/s of epoch {@link #REPORT_EPOCH}: what two threads of one JVM give
   * data-parallel training when the sum costs nothing, beside two processes ({@code scripts/bench-spark-scaling}).
   */
  static void threads(int workers, boolean split) throws Exception {
    SparkTrain.SampleRecipe r = recipe();
    Dataset d = r.data();
    int batch = BATCH / workers;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<Double>> rates = new java.util.ArrayList<>();
    for (int w = 0; w < workers; w++) {
      rates.add(pool.submit(() -> {
        if (split) {
          try (DataParallelReplica replica = new DataParallelReplica(r.trainer().progress(false), Collective.single())) {
            ShardPlan plan = replica.globalOrder(d.size(), batch);
            return LIMIT / replica.fit(d, plan, EPOCHS, new DataParallelReplica.Options(null, 0, 0), null)
                .records().get(REPORT_EPOCH - 1).seconds();
          }
        }
        try (Trainer t = r.trainer().progress(false).build()) {
          return LIMIT / t.fit(d, null, EPOCHS, batch).records().get(REPORT_EPOCH - 1).seconds();
        }
      }));
    }
    double sum = 0;
    for (Future<Double> f : rates) sum += f.get();
    pool.shutdown();
    System.out.printf("train-threads workers=%d batch=%d each (%s step, epoch %d of %d): %.0f samples/s in all%n", workers, batch,
        split ? "split" : "fused", REPORT_EPOCH, EPOCHS, sum);
  }

  /**
   * W data-parallel replicas as threads of this JVM summing through {@link SharedMemoryAllReduce}, without Spark:
   * {@code train-spark W}'s training minus Spark's scheduling, threads and listeners (epoch {@link #REPORT_EPOCH},
   * rank 0's clock).
   */
  static void threadsSum(int workers) throws Exception {
    SparkTrain.SampleRecipe r = recipe();
    Dataset d = r.data();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    String key = "threads-sum-" + System.nanoTime();
    List<Future<Double>> rates = new java.util.ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int rank = w;
      rates.add(pool.submit(() -> {
        SharedMemoryAllReduce sum = new SharedMemoryAllReduce(key, rank, workers);
        Collective c = new Collective() {
          @Override public int rank() { return rank; }
          @Override public int size() { return workers; }
          @Override public void sum(ByteBuffer data) { sum.sum(data); }
          @Override public long[] gather(long value) { return sum.gather(value); }
        };
        try (DataParallelReplica replica = new DataParallelReplica(r.trainer().progress(false), c)) {
          ShardPlan plan = replica.globalOrder(d.size(), BATCH);
          double rate = LIMIT / replica.fit(d, plan, EPOCHS, new DataParallelReplica.Options(null, 0, 0), null)
              .records().get(REPORT_EPOCH - 1).seconds();
          if (rank == 0) System.out.printf("threads-sum phases of replica 0: %s%n", replica.phases());
          sum.finish();
          return rate;
        } finally {
          sum.close();
        }
      }));
    }
    double rate0 = rates.get(0).get();
    for (Future<Double> f : rates) f.get();
    pool.shutdown();
    System.out.printf("train-threads-sum workers=%d batch=%d (epoch %d of %d): %.0f samples/s%n", workers, BATCH, REPORT_EPOCH, EPOCHS, rate0);
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
      both(pool, a, b, xa, xb, 3);  // warm-up
      long t0 = System.nanoTime();
      both(pool, a, b, xa, xb, reps);
      double ms = (System.nanoTime() - t0) / 1e6 / reps;
      System.out.printf("ring W=2 loopback: %,d floats (%.1f MB): %.3f ms per all-reduce, %.2f GB/s of gradient%n", n, n * 4 / 1e6, ms,
          n * 4 / 1e6 / ms);
      a.close();
      b.close();
      // The same sum between two threads of one JVM, as local[2]'s workers do it (SparkTrainer.AllReduce.AUTO).
      SharedMemoryAllReduce sa = new SharedMemoryAllReduce("bench-" + n, 0, 2);
      SharedMemoryAllReduce sb = new SharedMemoryAllReduce("bench-" + n, 1, 2);
      both(pool, () -> repeat(3, () -> sa.sum(xa)), () -> repeat(3, () -> sb.sum(xb)));
      t0 = System.nanoTime();
      both(pool, () -> repeat(reps, () -> sa.sum(xa)), () -> repeat(reps, () -> sb.sum(xb)));
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

  /**
   * {@code reps} all-reduces, each peer on its own thread for all of them, as a replica calls it step after step: one
   * thread hand-off per measurement, not per all-reduce (waking a parked pool thread costs ~0.5 ms on this VM, which
   * a hand-off per call had added to every small all-reduce's figure).
   */
  private static void both(ExecutorService pool, RingAllReduce a, RingAllReduce b, ByteBuffer xa, ByteBuffer xb, int reps)
      throws Exception {
    both(pool, () -> repeat(reps, () -> a.sum(xa)), () -> repeat(reps, () -> b.sum(xb)));
  }

  private static void repeat(int n, Runnable r) {
    for (int i = 0; i < n; i++) r.run();
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
