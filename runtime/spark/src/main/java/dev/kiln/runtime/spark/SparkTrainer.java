package dev.kiln.runtime.spark;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.DataParallelReplica;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.ProgressReporter;
import dev.kiln.runtime.train.ShardPlan;
import dev.kiln.runtime.train.StepPhases;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training on Spark: one barrier stage of {@code workers} tasks, each a
 * {@link DataParallelReplica} of the {@link TrainingRecipe}, summing gradients around a TCP ring
 * ({@link RingAllReduce}, or through shared memory when every task runs in one JVM: {@link SharedMemoryAllReduce}) and
 * applying the same update. Global batch {@code B} split into W shards of B/W gives
 * single-process training's loss curve at batch B.
 *
 * <p>Faults: replica 0 checkpoints atomically every {@link Config#checkpointEvery} steps and at epoch ends; when a
 * task fails, the barrier stage fails as a whole (Spark kills its siblings, whose ring sockets close), and this
 * driver submits it again up to {@link Config#retries} times: every replica resumes from the last checkpoint. A new
 * application given the same checkpoint resumes the same way.
 */
public final class SparkTrainer {
  private SparkTrainer() {}

  /** How the replicas sum their gradients. */
  public enum AllReduce {
    /** Through shared memory when every task runs in one JVM (local mode, one executor), else the TCP ring. */
    AUTO,
    /** Always the TCP ring, even between tasks of one JVM (to measure or test the cluster path on one machine). */
    TCP
  }

  /**
   * One run's settings.
   *
   * @param workers replicas (barrier tasks); the cluster needs that many free task slots at once
   * @param epochs epochs to reach (counted from the checkpoint's when resuming)
   * @param batchSize global batch; each replica computes on about batchSize / workers examples
   * @param checkpoint the checkpoint file (must be on storage every executor sees); null: a temporary file
   * @param checkpointEvery steps between checkpoints (0: epoch ends only)
   * @param hashEvery steps between the replicas' parameter-hash comparisons
   * @param retries how many times a failed stage is submitted again
   * @param allReduce how gradients are summed
   */
  public record Config(int workers, int epochs, int batchSize, Path checkpoint, int checkpointEvery, int hashEvery, int retries,
                       AllReduce allReduce) {
    public Config {
      if (workers < 1) throw new KilnException("workers must be >= 1, got " + workers);
      if (allReduce == null) allReduce = AllReduce.AUTO;
      if (batchSize < workers) throw new KilnException("the batch size (" + batchSize + ") must be at least the number of workers (" + workers + ")");
    }

    /** Defaults: a checkpoint at each epoch end in a temporary file, a hash check every 50 steps, 3 retries. */
    public static Config of(int workers, int epochs, int batchSize) {
      return new Config(workers, epochs, batchSize, null, 0, 50, 3, AllReduce.AUTO);
    }

    public Config withCheckpoint(Path path, int every) {
      return new Config(workers, epochs, batchSize, path, every, hashEvery, retries, allReduce);
    }

    public Config withRetries(int n) { return new Config(workers, epochs, batchSize, checkpoint, checkpointEvery, hashEvery, n, allReduce); }

    public Config withAllReduce(AllReduce how) {
      return new Config(workers, epochs, batchSize, checkpoint, checkpointEvery, hashEvery, retries, how);
    }
  }

  /**
   * What a run gave: the history (train loss and metrics over the global batches, from the last attempt), the
   * checkpoint holding the final state ({@link #restore}), the steps, how many stage attempts it took, the wall
   * time, and replica 0's all-reduce figures (which transport, seconds, bytes sent over TCP or read through shared
   * memory) and step phases (where its steps spent their time), and every replica's step phases by rank (how far
   * the replicas' own work differs, which each step waits for).
   */
  public record Result(History history, Path checkpoint, long steps, int attempts, double seconds, long stepsRun,
                       String allReduceTransport, double allReduceSeconds, long allReduceBytes, StepPhases phases,
                       List<StepPhases> phasesByWorker) {
    /** Mean all-reduce time per step, seconds. */
    public double allReducePerStep() { return stepsRun == 0 ? Double.NaN : allReduceSeconds / stepsRun; }
  }

  /** Trains {@code recipe} on {@code sc} as {@code config} says, every replica taking its shard of {@link TrainingRecipe#data()}. */
  public static Result fit(JavaSparkContext sc, TrainingRecipe recipe, Config config) {
    return fit(sc, recipe, config, task -> run(sc, recipe, config.workers(), task));
  }

  /**
   * Trains {@code recipe} on the rows of {@code frame} ({@link TrainingRecipe#data()} is not called): the frame is
   * repartitioned into one partition per worker, each replica keeps its partition's rows (features from the
   * {@code array<float>}/{@code array<double>} column {@code features}, shaped as the model's input; class ids or
   * values from the numeric column {@code label}) and reshuffles them every epoch from the seed; every step each
   * replica takes {@code batchSize / workers} of its rows, and an epoch has as many steps as the smallest partition
   * allows.
   */
  public static Result fit(org.apache.spark.sql.SparkSession spark, TrainingRecipe recipe, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame,
                           String features, String label, Config config) {
    FrameRows.check(frame, features, label);
    JavaSparkContext sc = SparkSessions.context(spark);
    return fit(sc, recipe, config, task -> FrameRows.run(recipe, frame, features, label, config.workers(), task));
  }

  /** One barrier job: the replicas' reports. */
  interface Job {
    List<ReplicaReport> run(Task task) throws SparkException;
  }

  private static Result fit(JavaSparkContext sc, TrainingRecipe recipe, Config config, Job job) {
    // The recipe's progress bar is drawn here, on the driver, from replica 0's figures (ProgressRelay).
    ProgressReporter bar = recipe.trainer().reporter();
    try (ProgressRelay relay = bar.enabled() ? ProgressRelay.start(sc.getConf().get("spark.driver.host"), bar) : null) {
      return fit(sc, config, job, relay == null ? null : relay.address());
    }
  }

  private static Result fit(JavaSparkContext sc, Config config, Job job, String progress) {
    Path ckpt = config.checkpoint();
    if (ckpt == null) {
      try {
        ckpt = Files.createTempDirectory("kiln-spark").resolve("run.ckpt");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a temporary checkpoint folder", e);
      }
    }
    Config c = config.withCheckpoint(ckpt.toAbsolutePath(), config.checkpointEvery());
    Task task = new Task(c.epochs(), c.batchSize(), c.checkpoint().toString(), c.checkpointEvery(), c.hashEvery(), progress, c.allReduce());
    long t0 = System.nanoTime();
    // A cancelled barrier task is interrupted, so a replica blocked in the ring stops at once.
    sc.setLocalProperty("spark.job.interruptOnCancel", "true");
    for (int attempt = 1; ; attempt++) {
      try {
        List<ReplicaReport> reports = job.run(task);
        ReplicaReport first = reports.stream().filter(r -> r.rank() == 0).findFirst().orElseThrow();
        return new Result(first.history(), c.checkpoint(), first.steps(), attempt, (System.nanoTime() - t0) / 1e9,
            first.stepsRun(), first.transport(), first.allReduceSeconds(), first.bytesSent(), first.phases(),
            reports.stream().sorted(java.util.Comparator.comparingInt(ReplicaReport::rank)).map(ReplicaReport::phases).toList());
      } catch (SparkException | RuntimeException e) {
        if (attempt > c.retries() || !retriable(e)) {
          throw new KilnException("Spark training failed after " + attempt + " attempt(s); the last checkpoint is " + c.checkpoint()
              + ": " + rootMessage(e), e);
        }
        System.err.println("kiln: Spark training attempt " + attempt + " failed (" + rootMessage(e) + "); resuming from "
            + (Files.exists(c.checkpoint()) ? "the checkpoint " + c.checkpoint() : "the start"));
      }
    }
  }

  /**
   * What each barrier task needs to know (serializable: {@link Path} is not).
   *
   * @param progress the driver's {@link ProgressRelay} ({@code host:port}) replica 0 reports to; null: no bar
   */
  record Task(int epochs, int batchSize, String checkpoint, int checkpointEvery, int hashEvery, String progress,
              AllReduce allReduce) implements Serializable {}

  /** A failed task is worth another attempt; a recipe Spark cannot ship or a mistake in the setup is not. */
  private static boolean retriable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.NotSerializableException) return false;
      if (t.getMessage() != null && t.getMessage().contains("Task not serializable")) return false;
    }
    return e instanceof SparkException || e.getClass().getName().startsWith("org.apache.spark");
  }

  private static List<ReplicaReport> run(JavaSparkContext sc, TrainingRecipe recipe, int workers, Task c) throws SparkException {
    JavaRDD<Integer> ranks = sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers);
    Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<ReplicaReport>> body =
        (Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<ReplicaReport>> & Serializable)
            it -> CollectionConverters.asScala(replica(recipe, c));
    RDD<ReplicaReport> out = ranks.rdd().barrier().mapPartitions(body, false, ClassTag$.MODULE$.apply(ReplicaReport.class));
    return new ArrayList<>(out.toJavaRDD().collect());
  }

  /** The body of one barrier task: the recipe's data, each replica taking its slice of every global batch. */
  private static Iterator<ReplicaReport> replica(TrainingRecipe recipe, Task c) {
    return replica(recipe, c, (replica, comm) -> {
      Dataset data = recipe.data();
      return new Shard(data, replica.globalOrder(data.size(), c.batchSize()));
    });
  }

  /** A replica's data and which rows it takes at each step. */
  record Shard(Dataset data, ShardPlan plan) {}

  /** Loads a replica's shard once the replica and its ring exist. */
  interface ShardSource {
    Shard load(DataParallelReplica replica, BarrierCollective comm);
  }

  /** The body of one barrier task: one replica training on the shard {@code source} gives. */
  static Iterator<ReplicaReport> replica(TrainingRecipe recipe, Task c, ShardSource source) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    long t0 = System.nanoTime();
    try (BarrierCollective comm = new BarrierCollective(ctx, c.allReduce());
         // The bar is the driver's (ProgressRelay): on an executor, a replica's own would print to its log.
         DataParallelReplica replica = new DataParallelReplica(recipe.trainer().progress(false), comm);
         ProgressRelay.Sender progress = comm.rank() == 0 && c.progress() != null ? ProgressRelay.Sender.connect(c.progress()) : null) {
      Shard shard = source.load(replica, comm);
      Dataset data = shard.data();
      ShardPlan plan = shard.plan();
      final long[] firstStep = {-1};
      History h = replica.fit(data, plan, c.epochs(), new DataParallelReplica.Options(Path.of(c.checkpoint()), c.checkpointEvery(), c.hashEvery()),
          new DataParallelReplica.Listener() {
            @Override public void onStep(long step, int epoch, int k, int examples, double loss, double metric) {
              if (firstStep[0] < 0) firstStep[0] = step - 1;
              if (progress != null) progress.onStep(step, epoch, k, examples, loss, metric);
              recipe.onStep(comm.rank(), step, loss);
            }

            @Override public void onEpochStart(int epoch, int epochs, int steps) {
              if (progress != null) progress.onEpochStart(epoch, epochs, steps);
            }

            @Override public void onEpochEnd() {
              if (progress != null) progress.onEpochEnd();
            }
          });
      comm.finish();
      long ran = firstStep[0] < 0 ? 0 : replica.step() - firstStep[0];
      return List.of(new ReplicaReport(comm.rank(), replica.step(), ran, (System.nanoTime() - t0) / 1e9, comm.transport(),
          comm.allReduceSeconds(), comm.allReduceBytes(), ReplicaReport.of(h), replica.phases())).iterator();
    }
  }

  /** A trainer of {@code recipe} holding the run's final state (for evaluation and export); close it. */
  public static Trainer restore(TrainingRecipe recipe, Result result) {
    Trainer t = recipe.trainer().build();
    t.restore(result.checkpoint());
    return t;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = String.valueOf(t.getMessage());
    return t.getClass().getSimpleName() + ": " + (m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m);
  }
}
