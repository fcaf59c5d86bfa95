package dev.kiln.runtime.train;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Rows;
import dev.kiln.runtime.data.WeightedSampler;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.TrainingDivergedException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model on a {@link Backend} (TensorFlow-Java today): one compiled train step ({@link TrainStep}) per
 * batch, run by the back end's {@link TrainSession}, with parameters and optimizer state held by the back end
 * and shared with an evaluation graph. Built with {@link #builder(Model)}; not thread-safe; close it to free
 * the back end's memory.
 *
 * <p>Reproducible: epoch {@code e} shuffles with a seed derived from ({@code seed}, {@code e}), so the
 * same seed gives the same loss sequence, and a checkpoint (which records the step and the epoch count)
 * resumes the sequence exactly.
 */
public final class Trainer implements AutoCloseable {
  private final TrainerBuilder cfg;
  private final Graph forwardTrain;
  private final Graph forwardEval;
  private final Feeds feeds;
  private TensorType labelType;
  private final Backend backend;
  private TrainSession session;
  private TrainStep trainStep;
  private long globalStep;
  private int epochsDone;
  private boolean stopRequested;
  private double lastRate = Double.NaN;
  private Checkpoint pendingRestore;

  Trainer(TrainerBuilder cfg) {
    this.cfg = cfg;
    this.backend = cfg.backend != null ? cfg.backend : Backends.find();
    this.forwardTrain = cfg.source.build(true);
    this.forwardEval = cfg.source.build(false);
    this.feeds = new Feeds(forwardEval.inputs().stream().filter(v -> !v.name().equals(TrainStep.STEP)).toList());
    output(forwardEval);
    this.labelType = cfg.labelType;
    if (labelType != null) compile();
  }

  /** A builder for training {@code model}. */
  public static TrainerBuilder builder(Model model) {
    return new TrainerBuilder(training -> training ? model.graph() : model.evalGraph());
  }

  /** A builder for a model whose graph depends on the training flag (dropout, batch norm). */
  public static TrainerBuilder builder(GraphSource source) { return new TrainerBuilder(source); }

  private Value output(Graph g) {
    return g.outputs().stream().filter(v -> v.name().equals(cfg.outputName)).findFirst()
        .orElseThrow(() -> new KilnException("the model has no output '" + cfg.outputName + "'; its outputs are "
            + g.outputs().stream().map(Value::toString).toList()));
  }

  private void compile() {
    Graph trainLoss = TrainStep.lossGraph(forwardTrain, cfg.loss, cfg.outputName, cfg.labelInput, labelType, cfg.penalty);
    Graph evalLoss = TrainStep.lossGraph(forwardEval, cfg.loss, cfg.outputName, cfg.labelInput, labelType, cfg.penalty);
    trainStep = TrainStep.compile(trainLoss, cfg.optimizer, cfg.clipping);
    StartupTrace.mark("train step built and differentiated");
    session = backend.open(trainStep, evalLoss);
    StartupTrace.mark("session opened on " + backend.name());
  }

  /** Compiles on first use, taking the label type from the data when the builder did not declare one. */
  private void ensureCompiled(Dataset d) { ensureCompiled(d.labels()); }

  private void ensureCompiled(HostTensor labels) {
    if (session != null) return;
    long[] s = labels.shape();
    labelType = TrainStep.labelType(labels.dtype(), java.util.Arrays.copyOfRange(s, 1, s.length));
    compile();
    if (pendingRestore != null) applyRestore();
  }

  private long classes() {
    TensorType t = output(forwardEval).type();
    if (t.rank() == 2 && t.shape().dim(1).isStatic()) return t.shape().dim(1).size();
    return 0;
  }

  private void checkData(String what, Dataset d) {
    feeds.check(what, d);
    DataChecks.labelRange(what, d, classes());
    if (labelType != null) DataChecks.labels(what, d, labelType);
  }

  /**
   * Trains for {@code epochs} epochs of shuffled batches of {@code batchSize}, validating on {@code val}
   * (may be null) after each, and returns the per-epoch history (train loss and metrics, validation loss
   * and metrics, learning rate, seconds). Every dataset is checked against the model before the first
   * step. Shows a {@link ProgressReporter} bar per epoch unless {@link TrainerBuilder#progress(boolean)}
   * turned it off.
   *
   * @throws TrainingDivergedException when a step's loss is NaN or infinite
   */
  public History fit(Dataset train, Dataset val, int epochs, int batchSize) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    return fit(BatchSource.shuffled(train, batchSize, cfg.seed), val, epochs, batchSize);
  }

  /**
   * As {@link #fit(Dataset, Dataset, int, int)}, but each epoch is {@code sampler}'s weighted draws with replacement
   * (as many as the dataset has examples; e.g. {@link Dataset#classBalancedWeights()} over-samples rare classes),
   * drawn afresh every epoch.
   */
  public History fit(WeightedSampler sampler, Dataset val, int epochs, int batchSize) {
    return fit(BatchSource.weighted(sampler, batchSize, cfg.seed), val, epochs, batchSize);
  }

  /**
   * As {@link #fit(Dataset, Dataset, int, int)} with each epoch's batches from {@code train}: a weighted sampler
   * redrawn every epoch ({@link BatchSource#weighted}), or a pipeline of your own. Validation runs in batches of 256.
   */
  public History fit(BatchSource train, Dataset val, int epochs) { return fit(train, val, epochs, 256); }

  private History fit(BatchSource train, Dataset val, int epochs, int valBatchSize) {
    if (epochs < 0) throw new KilnException("epochs must be >= 0, got " + epochs);
    Dataset known = train.dataset();
    if (known != null) checkData("training", known);
    if (val != null) checkData("validation", val);
    if (known != null) ensureCompiled(known);
    else if (val != null) ensureCompiled(val);
    if (known != null) checkData("training", known);
    if (val != null) checkData("validation", val);
    stopRequested = false;
    ProgressReporter bar = cfg.reporter();
    cfg.callbacks.forEach(c -> c.onFitStart(this));
    History history = new History();
    int batches = train.batchesPerEpoch();
    int firstEpoch = epochsDone;
    for (int e = 0; e < epochs && !stopRequested; e++) {
      int epoch = epochsDone;
      long t0 = System.nanoTime();
      double sum = 0;
      long seen = 0;
      double lrSum = 0;
      long steps = 0;
      cfg.metrics.forEach(Metric::reset);
      bar.startEpoch(epoch - firstEpoch + 1, epochs, batches);
      for (Batch b : train.epoch(epoch)) {
        RawStep r;
        try {
          r = runStep(b, epoch);
        } catch (TrainingDivergedException diverged) {
          bar.endEpoch();
          throw diverged;
        }
        lrSum += r.lr;
        steps++;
        sum += r.loss * b.size();
        seen += b.size();
        double shown = Double.NaN;
        for (int k = 0; k < cfg.metrics.size(); k++) {
          Metric m = cfg.metrics.get(k);
          double before = seen == b.size() ? 0 : m.result();
          m.update(r.output, b.labels());
          // NOTE: the bar wants this batch's value; for a metric that is a mean over examples (accuracy,
          // top-k) it is the difference of the running totals, so the bar's weighted mean equals result().
          if (k == 0) shown = (m.result() * seen - before * (seen - b.size())) / b.size();
        }
        bar.step(b.size(), r.loss, shown);
        for (TrainingCallback c : cfg.callbacks) c.onStepEnd(this, globalStep, r.loss);
      }
      bar.endEpoch();
      epochsDone++;
      Map<String, Double> trainMetrics = new LinkedHashMap<>();
      for (Metric m : cfg.metrics) trainMetrics.put(m.name(), m.result());
      double valLoss = Double.NaN;
      Map<String, Double> valMetrics = new LinkedHashMap<>();
      if (val != null) {
        Map<String, Double> v = evaluate(val, valBatchSize);
        valLoss = v.remove("loss");
        valMetrics.putAll(v);
      }
      // Epochs are numbered from 1 in the history, as the progress bar shows them; the lr column is the
      // mean of the rates this epoch's steps used (the rate itself under a per-epoch schedule).
      EpochRecord record = new EpochRecord(epoch + 1, sum / seen, trainMetrics, valLoss, valMetrics, steps == 0 ? Double.NaN : lrSum / steps,
          (System.nanoTime() - t0) / 1e9);
      history.add(record);
      for (TrainingCallback c : cfg.callbacks) c.onEpochEnd(this, record);
    }
    cfg.callbacks.forEach(c -> c.onFitEnd(this));
    return history;
  }

  /** What one step gave: learning rate used, loss, and the model's output when metrics need it (else null). */
  private record RawStep(double lr, double loss, HostTensor output) {}

  private double lastFiniteLoss = Double.NaN;

  /** One optimizer step on {@code b} in epoch {@code epoch}; throws when the loss is not finite. */
  private RawStep runStep(Batch b, int epoch) {
    ensureCompiled(b.labels());
    globalStep++;
    double lr = cfg.schedule.rate(epoch, globalStep - 1);
    lastRate = lr;
    Map<String, HostTensor> feed = new HashMap<>();
    feed.put(cfg.labelInput, b.labels());
    feed.put(TrainStep.LR, HostTensor.scalar(DType.F32, lr));
    feed.put(TrainStep.STEP, HostTensor.scalar(DType.F32, globalStep));
    // A shuffled batch's features go from the dataset straight into the back end's tensors (one copy).
    Map<String, Rows> rows = new HashMap<>();
    feeds.put(b, feed, rows);
    List<String> fetch = cfg.metrics.isEmpty() ? List.of() : List.of(cfg.outputName);
    List<HostTensor> out = session.step(feed, rows, fetch);
    double loss = out.get(0).getDouble(0);
    if (!Double.isFinite(loss)) throw new TrainingDivergedException(globalStep, loss, lastFiniteLoss);
    lastFiniteLoss = loss;
    return new RawStep(lr, loss, fetch.isEmpty() ? null : out.get(1));
  }

  /**
   * One optimizer step on {@code batch}, for a training loop of your own: the loss, the learning rate used, and each
   * configured metric on this batch alone. The step counter advances; the learning rate is the schedule's at the
   * current epoch ({@link #epochs()}), which {@link #fit} advances and a custom loop does not.
   *
   * @throws TrainingDivergedException when the loss is NaN or infinite
   */
  public StepResult trainStep(Batch batch) {
    RawStep r = runStep(batch, epochsDone);
    return new StepResult(globalStep, r.lr, r.loss, StepResult.metricsOn(cfg.metrics, r.output, batch.labels()));
  }

  /** The loss and each configured metric on {@code batch}, without training (evaluation graph: dropout off). */
  public StepResult evalStep(Batch batch) {
    ensureCompiled(batch.labels());
    Map<String, HostTensor> feed = new HashMap<>(feeds.of(batch));
    feed.put(cfg.labelInput, batch.labels());
    Map<String, HostTensor> out = session.evaluate(feed, List.of(TrainStep.LOSS, cfg.outputName));
    return new StepResult(globalStep, Double.NaN, out.get(TrainStep.LOSS).getDouble(0),
        StepResult.metricsOn(cfg.metrics, out.get(cfg.outputName), batch.labels()));
  }

  /** Asks {@link #fit} to stop after the current epoch (for callbacks). */
  public void requestStop() { stopRequested = true; }

  /** Mean loss ({@code loss}) and each metric on {@code data}, in order, without training (evaluation graph). */
  public Map<String, Double> evaluate(Dataset data, int batchSize) {
    checkData("evaluation", data);
    ensureCompiled(data);
    checkData("evaluation", data);
    cfg.metrics.forEach(Metric::reset);
    double sum = 0;
    for (Batch b : data.batches(batchSize, false, 0)) {
      Map<String, HostTensor> feed = new HashMap<>(feeds.of(b));
      feed.put(cfg.labelInput, b.labels());
      Map<String, HostTensor> out = session.evaluate(feed, List.of(TrainStep.LOSS, cfg.outputName));
      sum += out.get(TrainStep.LOSS).getDouble(0) * b.size();
      for (Metric m : cfg.metrics) m.update(out.get(cfg.outputName), b.labels());
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("loss", sum / data.size());
    for (Metric m : cfg.metrics) r.put(m.name(), m.result());
    return r;
  }

  /** The model output for {@code features}, for a model with one input (evaluation graph; before training, the initial weights). */
  public HostTensor predict(HostTensor features) { return predict(feeds.of(features)); }

  /** The model output for features by model input name (evaluation graph; before training, the initial weights). */
  public HostTensor predict(Map<String, HostTensor> features) {
    if (session == null) return backend.run(forwardEval, features).get(cfg.outputName);
    HostTensor any = features.values().iterator().next();
    feeds.check("prediction", Dataset.of(features, HostTensor.filled(DType.F32, new long[] {any.shape()[0]}, 0)));
    return session.evaluate(features, List.of(cfg.outputName)).get(cfg.outputName);
  }

  /** The model (inference graph) with the current trained parameter values, ready to export. */
  public Model model() {
    if (session == null) return new Model(forwardEval);
    Map<String, HostTensor> vars = session.readVariables();
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : forwardEval.parameters()) ps.add(p.withInitial(vars.get(p.name())));
    return new Model(forwardEval.with(ps, forwardEval.nodes(), forwardEval.outputs()));
  }

  /** Global steps taken so far (also across a restored checkpoint). */
  public long step() { return globalStep; }

  /** The learning rate the latest train step used (NaN before the first); for callbacks logging per step. */
  public double learningRate() { return lastRate; }

  /** Epochs finished so far. */
  public int epochs() { return epochsDone; }

  /** A copy of every variable (parameters and optimizer slots); empty before the first compile. */
  public Map<String, HostTensor> variables() { return session == null ? Map.of() : session.readVariables(); }

  /** Overwrites variables (e.g. early stopping's best weights). */
  public void setVariables(Map<String, HostTensor> values) {
    if (session == null) throw new KilnException("the trainer has no variables yet: fit first or declare the labels");
    session.writeVariables(values);
  }

  /** Writes parameters, optimizer state, step and epoch count (the shuffle position) atomically. */
  public void saveCheckpoint(Path path) {
    if (session == null) throw new KilnException("nothing to checkpoint: fit first or declare the labels (TrainerBuilder.labels)");
    try {
      new Checkpoint(cfg.seed, globalStep, epochsDone, session.readVariables()).write(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + path, e);
    }
  }

  /**
   * Restores a checkpoint written by {@link #saveCheckpoint} for the same model, optimizer and seed; the
   * next {@link #fit} continues exactly where the saved run was. Before the first fit (the back end is compiled once
   * the data shows the labels' type) the values are kept and written in at that moment.
   */
  public void restore(Path path) {
    Checkpoint c;
    try {
      c = Checkpoint.read(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + path, e);
    }
    if (c.seed() != cfg.seed) throw new KilnException(path + " was written with seed " + c.seed() + ", this trainer uses " + cfg.seed);
    pendingRestore = c;
    globalStep = c.step();
    epochsDone = c.epochs();
    if (session != null) applyRestore();
  }

  private void applyRestore() {
    Map<String, HostTensor> now = session.readVariables();
    if (!now.keySet().equals(pendingRestore.variables().keySet())) {
      throw new KilnException("the checkpoint holds variables " + pendingRestore.variables().keySet() + " but this trainer has " + now.keySet());
    }
    session.writeVariables(pendingRestore.variables());
    pendingRestore = null;
  }

  /**
   * Exports the trained model to {@code onnx}, runs {@code sample}'s features through the exported file (in the
   * {@link OnnxRunner} on the class path: ONNX Runtime) and through the back end's evaluation graph, and returns
   * the max absolute difference of the outputs. The tolerances are {@link OutputAgreement#defaults}: relative
   * 1e-4 plus an absolute bound of 1e-4 of the outputs' largest magnitude.
   *
   * @throws KilnException when the outputs disagree; nothing is then left at {@code onnx} (an earlier file there
   *     stays as it was)
   */
  public double exportAndVerify(Path onnx, Dataset sample) { return exportAndVerify(onnx, sample, null); }

  /**
   * As {@link #exportAndVerify(Path, Dataset)} with the given tolerances ({@code null}: the defaults). The file is
   * written beside {@code onnx} under a temporary name and moved into place only once it agrees.
   */
  public double exportAndVerify(Path onnx, Dataset sample, OutputAgreement tolerance) {
    return VerifiedExport.write(model().graph(), onnx, feeds.of(sample), cfg.outputName, this::predict, backend.name(), tolerance);
  }

  /**
   * Writes the training step as plain ONNX ({@link TrainingExport}): {@code dir/train_step.onnx}, which starts
   * from this trainer's current state (parameters, optimizer slots, statistics, step count) and computes the
   * learning rate in the graph with epochs of {@code stepsPerEpoch} steps, and {@code dir/model.onnx}, the
   * inference model with the current parameters. The schedule must be a {@link GraphSchedule}
   * ({@link Schedules}, or {@link TrainerBuilder#learningRate}).
   */
  public void exportTraining(Path dir, long stepsPerEpoch) {
    if (session == null) throw new KilnException("nothing to export yet: fit first or declare the labels (TrainerBuilder.labels)");
    if (!(cfg.schedule instanceof GraphSchedule gs)) {
      throw new KilnException("the learning-rate schedule is a host-only lambda; use one of Schedules (they also build in the graph)");
    }
    Map<String, HostTensor> state = new HashMap<>(session.readVariables());
    state.put(TrainingGraph.STEP_COUNT, HostTensor.scalar(DType.I64, globalStep));
    TrainingGraph g = TrainingGraph.selfContained(trainStep, gs, stepsPerEpoch).withState(state);
    TrainingExport.write(dir, g, model().graph(), dev.kiln.compiler.onnx.ExportOptions.defaults()
        .metadata("kiln.training.optimizer", cfg.optimizer.describe()));
  }

  /** The back end this trainer runs on. */
  public Backend backend() { return backend; }

  /** Frees the back end's session. */
  @Override public void close() {
    if (session != null) session.close();
  }
}
