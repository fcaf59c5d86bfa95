package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TrainingDivergedException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One replica of synchronous data-parallel training, back-end and transport neutral: per step it runs the
 * {@link SplitStep#gradients()} graph on its shard ({@link ShardPlan}), weights the gradients, the batch-norm state
 * updates, the loss and the metrics by its share of the global batch, sums them over all replicas
 * ({@link Collective#sum}), and applies the same update as every other replica ({@link SplitStep#apply()}). So the
 * replicas stay identical, which it checks every {@link Options#hashEvery} steps by gathering a hash of every variable.
 *
 * <p>Replica 0 writes the checkpoint ({@link Trainer}'s format, atomically) every {@link Options#checkpointEvery}
 * steps and at every epoch end; a replica that finds one on start resumes from it, mid-epoch included, so a retried
 * or restarted run continues where the last checkpoint was. The same seed gives the same run.
 */
public final class DataParallelReplica implements AutoCloseable {
  /**
   * How a run saves and checks itself.
   *
   * @param checkpoint where replica 0 writes the checkpoint (null: none, and nothing to resume)
   * @param checkpointEvery steps between checkpoints (0: only at epoch ends)
   * @param hashEvery steps between the replicas' parameter-hash comparisons (0: only at the end)
   */
  public record Options(Path checkpoint, int checkpointEvery, int hashEvery) {}

  /** What a replica sees as training goes (replica 0 feeds the progress bar from it). */
  public interface Listener {
    /** After global step {@code step} (1-based): the global batch's size, mean loss and first metric. */
    default void onStep(long step, int epoch, int k, int examples, double loss, double metric) {}

    /** An epoch starts: the progress bar's {@code epoch} of {@code epochs} (1-based, counted from a resumed one), {@code steps} steps. */
    default void onEpochStart(int epoch, int epochs, int steps) {}

    /** The epoch's last step is done. */
    default void onEpochEnd() {}
  }

  private final TrainerBuilder cfg;
  private final Collective comm;
  private final Graph forwardTrain;
  private final Feeds feeds;
  private SplitStep split;
  private TrainSession session;
  private List<Parameter> trainable;
  private List<Parameter> floatStates;
  private int bufferLength;
  /** This replica's contributions, then their sum: little-endian f32, direct (the ring writes it to sockets as is). */
  private ByteBuffer buf;
  /** Gradient outputs (then the weighted loss, when f32) the back end copies into the buffer as they are. */
  private List<String> packed;
  /** Outputs the replica reads itself: the states' updates, the predictions for the metrics (and a non-f32 loss). */
  private List<String> returned;
  /** Where the loss sits in the buffer: after the gradients; then the f32 states, the example count and the metrics. */
  private int lossAt;
  private boolean lossPacked;
  private boolean gradientsTakeStep;
  /** Every variable's bytes, for {@link #hashVariables}. */
  private ByteBuffer variableBytes;
  private long globalStep;
  private int epochsDone;
  private final StepPhases phases = new StepPhases();

  /** A replica of the training {@code cfg} describes, talking to the others through {@code comm}. */
  public DataParallelReplica(TrainerBuilder cfg, Collective comm) {
    this.cfg = cfg;
    this.comm = comm;
    this.forwardTrain = cfg.source.build(true);
    Graph eval = cfg.source.build(false);
    this.feeds = new Feeds(eval.inputs().stream().filter(v -> !v.name().equals(TrainStep.STEP)).toList());
  }

  private void compile(HostTensor labels) {
    if (session != null) return;
    long[] s = labels.shape();
    Graph loss = TrainStep.lossGraph(forwardTrain, cfg.loss, cfg.outputName, cfg.labelInput,
        cfg.labelType != null ? cfg.labelType : TrainStep.labelType(labels.dtype(), java.util.Arrays.copyOfRange(s, 1, s.length)), cfg.penalty);
    split = SplitStep.compile(loss, cfg.optimizer, cfg.clipping);
    trainable = loss.parameters().stream().filter(Parameter::trainable).toList();
    for (Parameter p : trainable) {
      if (p.value().type().dtype() != DType.F32) {
        throw new KilnException("data-parallel training sums f32 gradients; parameter " + p.name() + " is " + p.value().type());
      }
    }
    floatStates = split.states().stream().map(n -> loss.parameter(n).orElseThrow())
        .filter(p -> p.value().type().dtype() == DType.F32).toList();
    long n = 0;
    for (Parameter p : trainable) n += p.initial().size();
    for (Parameter p : floatStates) n += p.initial().size();
    n += 2 + cfg.metrics.size();
    if (n > (Integer.MAX_VALUE - 8) / 4) throw new KilnException("the model has too many parameters (" + n + ") for one all-reduce buffer");
    List<String> pack = new ArrayList<>();
    for (Parameter p : trainable) pack.add(SplitStep.grad(p.name()));
    lossAt = 0;
    for (Parameter p : trainable) lossAt += (int) p.initial().size();
    lossPacked = split.gradients().outputs().get(0).type().dtype() == DType.F32;
    if (lossPacked) pack.add(SplitStep.WEIGHTED_LOSS);
    List<String> back = new ArrayList<>();
    if (!lossPacked) back.add(SplitStep.WEIGHTED_LOSS);
    for (Parameter p : floatStates) back.add(SplitStep.stateUpdate(p.name()));
    if (!cfg.metrics.isEmpty()) back.add(cfg.outputName);
    packed = List.copyOf(pack);
    returned = List.copyOf(back);
    gradientsTakeStep = split.gradients().inputs().stream().anyMatch(v -> v.name().equals(TrainStep.STEP));
    bufferLength = (int) n;
    buf = ByteBuffer.allocateDirect(4 * bufferLength).order(ByteOrder.LITTLE_ENDIAN);
    session = cfg.backend != null ? cfg.backend.open(split.apply(), split.gradients())
        : Backends.find().open(split.apply(), split.gradients());
  }

  /**
   * Trains for {@code epochs} epochs (counted from the checkpoint's, when one is resumed) of {@code plan}'s steps over
   * {@code data} (this replica's copy or shard) and returns the history every replica agrees on (train loss and
   * metrics are over the global batches).
   */
  public History fit(Dataset data, ShardPlan plan, int epochs, Options options, Listener listener) {
    feeds.check("training", data);
    compile(data.labels());
    resume(options.checkpoint(), plan.steps());
    ProgressReporter bar = comm.rank() == 0 ? cfg.reporter() : ProgressReporter.disabled();
    History history = new History();
    int firstEpoch = epochsDone;
    int startK = (int) (globalStep - (long) epochsDone * plan.steps());
    while (epochsDone < epochs) {
      int epoch = epochsDone;
      long t0 = System.nanoTime();
      double lossSum = 0;
      double[] metricSums = new double[cfg.metrics.size()];
      long seen = 0;
      double lrSum = 0;
      int stepsRun = plan.steps() - startK;
      phases.reset();  // the last epoch's phases: the first one's include warm-up
      bar.startEpoch(epoch - firstEpoch + 1, epochs - firstEpoch, plan.steps());
      if (listener != null) listener.onEpochStart(epoch - firstEpoch + 1, epochs - firstEpoch, plan.steps());
      for (int k = startK; k < plan.steps(); k++) {
        phases.start();
        gradients(data, plan.rows(epoch, k), plan.weight(epoch, k));
        comm.sum(buf);
        phases.lap(StepPhases.Phase.ALL_REDUCE);
        int examples = Math.round(at(bufferLength - 1 - cfg.metrics.size()));
        double loss = at(lossAt);
        globalStep++;
        if (!Double.isFinite(loss)) {
          bar.endEpoch();
          throw new TrainingDivergedException(globalStep, loss, Double.NaN);
        }
        lrSum += apply(epoch);
        phases.lap(StepPhases.Phase.APPLY);
        lossSum += loss * examples;
        seen += examples;
        for (int m = 0; m < metricSums.length; m++) metricSums[m] += at(bufferLength - metricSums.length + m) * examples;
        double shown = metricSums.length == 0 ? Double.NaN : at(bufferLength - metricSums.length);
        bar.step(examples, loss, shown);
        if (listener != null) listener.onStep(globalStep, epoch, k, examples, loss, shown);
        phases.lap(StepPhases.Phase.REPORT);
        if (options.hashEvery() > 0 && globalStep % options.hashEvery() == 0) checkSame();
        phases.lap(StepPhases.Phase.HASH_CHECK);
        if (options.checkpointEvery() > 0 && globalStep % options.checkpointEvery() == 0) save(options.checkpoint());
        phases.lap(StepPhases.Phase.CHECKPOINT);
        phases.endStep();
      }
      startK = 0;
      bar.endEpoch();
      if (listener != null) listener.onEpochEnd();
      epochsDone++;
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int m = 0; m < metricSums.length; m++) metrics.put(cfg.metrics.get(m).name(), seen == 0 ? Double.NaN : metricSums[m] / seen);
      history.add(new EpochRecord(epoch + 1, seen == 0 ? Double.NaN : lossSum / seen, metrics, Double.NaN, Map.of(),
          lrSum / Math.max(1, stepsRun), (System.nanoTime() - t0) / 1e9));
      phases.start();
      save(options.checkpoint());
      phases.lap(StepPhases.Phase.CHECKPOINT);
    }
    checkSame();
    return history;
  }

  /** Float {@code i} of the all-reduce buffer. */
  private float at(int i) { return buf.getFloat(4 * i); }

  /**
   * Fills the all-reduce buffer with this replica's weighted contributions. The back end copies the gradients and the
   * loss (weighted in the graph) straight into it ({@link TrainSession#evaluate(Map, Map, List, List, ByteBuffer)}),
   * the shard's rows go straight into its tensors; the f32 states (small) are weighted here.
   */
  private void gradients(Dataset data, int[] rows, double weight) {
    if (rows.length == 0) {
      for (int i = 0; i < bufferLength; i++) buf.putFloat(4 * i, 0f);
      return;
    }
    Map<String, HostTensor> feed = new HashMap<>();
    Map<String, Rows> rowFeed = new HashMap<>();
    feeds.put(data, rows, rowFeed);
    rowFeed.put(cfg.labelInput, new Rows(data.labels(), rows));
    feed.put(SplitStep.WEIGHT, HostTensor.scalar(DType.F32, weight));
    if (gradientsTakeStep) feed.put(TrainStep.STEP, HostTensor.scalar(DType.F32, globalStep + 1));
    phases.lap(StepPhases.Phase.BATCH);
    buf.clear();
    Map<String, HostTensor> out = session.evaluate(feed, rowFeed, returned, packed, buf);
    buf.clear();  // the collectives take the whole buffer from position 0
    phases.lap(StepPhases.Phase.GRADIENTS);
    int at = lossAt;
    if (!lossPacked) buf.putFloat(4 * at, (float) out.get(SplitStep.WEIGHTED_LOSS).getDouble(0));
    at++;
    float w = (float) weight;
    for (Parameter p : floatStates) at = put(at, out.get(SplitStep.stateUpdate(p.name())), w);
    buf.putFloat(4 * at++, rows.length);
    if (!cfg.metrics.isEmpty()) {
      HostTensor labels = new Rows(data.labels(), rows).gather();
      for (Metric m : cfg.metrics) {
        m.reset();
        m.update(out.get(cfg.outputName), labels);
        buf.putFloat(4 * at++, (float) (m.result() * weight));
      }
    }
    phases.lap(StepPhases.Phase.PACK);
  }

  /**
   * Copies {@code t}'s floats, times {@code w}, into the buffer from float {@code at}; returns where they end. Only for
   * the states (batch-norm statistics: kilobytes), so a plain loop; the gradients never pass through here.
   */
  private int put(int at, HostTensor t, float w) {
    FloatBuffer src = t.buffer().asFloatBuffer();
    int n = src.remaining();
    for (int i = 0; i < n; i++) buf.putFloat(4 * (at + i), src.get(i) * w);
    return at + n;
  }

  /** Applies the summed update in the buffer; returns the learning rate used. */
  private double apply(int epoch) {
    Map<String, HostTensor> feed = new HashMap<>();
    int at = 0;
    for (Parameter p : trainable) at = take(feed, SplitStep.grad(p.name()), p, at);
    at++;  // the loss
    for (Parameter p : floatStates) at = take(feed, SplitStep.NEW_STATE + p.name(), p, at);
    if (floatStates.size() != split.states().size()) {
      // A non-f32 state (a counter) is the same on every replica: each keeps its own next value.
      Map<String, HostTensor> own = session.readVariables();
      for (String s : split.states()) feed.putIfAbsent(SplitStep.NEW_STATE + s, own.get(s));
    }
    double lr = cfg.schedule.rate(epoch, globalStep - 1);
    feed.put(TrainStep.LR, HostTensor.scalar(DType.F32, lr));
    feed.put(TrainStep.STEP, HostTensor.scalar(DType.F32, globalStep));
    session.step(feed);
    return lr;
  }

  private int take(Map<String, HostTensor> feed, String name, Parameter p, int at) {
    int n = (int) p.initial().size();
    // A view, not a copy: the back end copies it once into its own tensor, within this step, before the next
    // step overwrites the buffer.
    feed.put(name, HostTensor.adopt(DType.F32, p.initial().shape(), buf.slice(4 * at, 4 * n).order(ByteOrder.LITTLE_ENDIAN)));
    return at + n;
  }

  /** Gathers a hash of every variable and fails when the replicas differ. */
  private void checkSame() {
    long mine = hashVariables();
    long[] all = comm.gather(mine);
    for (int r = 0; r < all.length; r++) {
      if (all[r] != all[0]) {
        throw new KilnException("data-parallel replicas diverged at step " + globalStep + ": parameter hashes by worker "
            + java.util.Arrays.toString(all) + " (worker " + r + " differs from worker 0)");
      }
    }
  }

  /** CRC32C of every variable's bytes in graph order, read into a buffer kept between checks (no garbage per check). */
  private long hashVariables() {
    if (variableBytes == null) {
      long n = 0;
      for (HostTensor t : session.readVariables().values()) n += t.buffer().remaining();
      if (n > Integer.MAX_VALUE - 8) throw new KilnException("the model's variables (" + n + " bytes) are too large to hash in one buffer");
      variableBytes = ByteBuffer.allocateDirect((int) n).order(ByteOrder.LITTLE_ENDIAN);
    }
    variableBytes.clear();
    session.readVariables(variableBytes);
    variableBytes.flip();
    CRC32C crc = new CRC32C();
    crc.update(variableBytes);
    return crc.getValue();
  }

  private void resume(Path checkpoint, int stepsPerEpoch) {
    if (checkpoint == null || !Files.exists(checkpoint)) return;
    Checkpoint c;
    try {
      c = Checkpoint.read(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + checkpoint, e);
    }
    if (c.seed() != cfg.seed) throw new KilnException(checkpoint + " was written with seed " + c.seed() + ", this run uses " + cfg.seed);
    if (c.step() < (long) c.epochs() * stepsPerEpoch || c.step() > (long) (c.epochs() + 1) * stepsPerEpoch) {
      throw new KilnException(checkpoint + " is at step " + c.step() + " after " + c.epochs() + " epochs, which does not fit "
          + stepsPerEpoch + " steps an epoch (same data, batch size and workers as the run that wrote it?)");
    }
    Map<String, HostTensor> now = session.readVariables();
    if (!now.keySet().equals(c.variables().keySet())) {
      throw new KilnException(checkpoint + " holds variables " + c.variables().keySet() + " but this model has " + now.keySet());
    }
    session.writeVariables(c.variables());
    globalStep = c.step();
    epochsDone = c.epochs();
    // Every replica must start from the same checkpoint (a late write of a failed attempt would show here).
    checkSame();
  }

  private void save(Path checkpoint) {
    if (checkpoint == null || comm.rank() != 0) return;
    try {
      new Checkpoint(cfg.seed, globalStep, epochsDone, session.readVariables()).write(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + checkpoint, e);
    }
  }

  /** {@link ShardPlan#globalOrder} for this replica and the trainer's seed: the order a single process would take. */
  public ShardPlan globalOrder(int size, int globalBatch) {
    return ShardPlan.globalOrder(size, globalBatch, cfg.seed, comm.rank(), comm.size());
  }

  /** {@link ShardPlan#localShards} for this replica and the trainer's seed: each replica reshuffles its own rows. */
  public ShardPlan localShards(int localSize, int perReplica, int steps) {
    return ShardPlan.localShards(localSize, perReplica, steps, cfg.seed, comm.rank(), comm.size());
  }

  /** The dims after the batch axis of the model's first data input (-1 where not static), to shape features read from rows. */
  public long[] inputRowShape() {
    dev.kiln.spec.Shape s = forwardTrain.inputs().stream().filter(v -> !v.name().equals(TrainStep.STEP)).findFirst()
        .orElseThrow(() -> new KilnException("the model has no data input")).type().shape();
    long[] out = new long[s.rank() - 1];
    for (int i = 1; i < s.rank(); i++) out[i - 1] = s.dim(i).isStatic() ? s.dim(i).size() : -1;
    return out;
  }

  /** Where this replica's steps spent their time in the last epoch (the first one's include warm-up). */
  public StepPhases phases() { return phases; }

  /** Global steps done, across a resumed checkpoint. */
  public long step() { return globalStep; }

  /** Every variable (parameters, optimizer slots, statistics) by name. */
  public Map<String, HostTensor> variables() { return session == null ? Map.of() : session.readVariables(); }

  @Override public void close() {
    if (session != null) session.close();
  }
}
