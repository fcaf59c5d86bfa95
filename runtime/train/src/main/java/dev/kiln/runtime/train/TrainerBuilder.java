package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Configures a {@link Trainer}; {@link #loss} and {@link #optimizer} are required. */
public final class TrainerBuilder {
  final GraphSource source;
  Loss loss;
  String outputName = "output";
  String labelInput = "labels";
  TensorType labelType;
  Optimizer optimizer;
  LearningRateSchedule schedule;
  long seed = 42;
  final List<Metric> metrics = new ArrayList<>();
  final List<TrainingCallback> callbacks = new ArrayList<>();
  GradientClipping clipping;
  Regularization penalty;
  boolean progress = true;
  ProgressReporter reporter;
  Backend backend;

  TrainerBuilder(GraphSource source) { this.source = source; }

  /** The loss over model output {@code output} against a label input named {@code labels}. */
  public TrainerBuilder loss(Loss loss, String output) { return loss(loss, output, "labels"); }

  /** The loss over model output {@code output} against a label input named {@code labelInput}. */
  public TrainerBuilder loss(Loss loss, String output, String labelInput) {
    this.loss = loss;
    this.outputName = output;
    this.labelInput = labelInput;
    return this;
  }

  /**
   * Declares the labels' dtype and per-example shape (without the batch axis), so the train step
   * compiles at {@link #build()}; otherwise it compiles at the first fit, from the data's labels.
   */
  public TrainerBuilder labels(DType dtype, long... perExample) {
    this.labelType = TrainStep.labelType(dtype, perExample);
    return this;
  }

  /** The optimizer, e.g. {@code Optimizers.adam(0.9, 0.999, 1e-8)}. */
  public TrainerBuilder optimizer(Optimizer o) {
    this.optimizer = o;
    return this;
  }

  /**
   * The learning-rate schedule (required unless {@link #learningRate} is given); one that is also a
   * {@link TrainingCallback}, such as {@link ReduceLROnPlateau}, is registered as a callback too.
   */
  public TrainerBuilder schedule(LearningRateSchedule s) {
    this.schedule = s;
    return this;
  }

  /** A constant learning rate. */
  public TrainerBuilder learningRate(double lr) { return schedule(Schedules.constant(lr)); }

  /** The seed of the shuffles (the model's initial weights come from the model's own seed). */
  public TrainerBuilder seed(long s) {
    this.seed = s;
    return this;
  }

  /** Metrics computed on the training batches and, in {@link Trainer#evaluate}, on validation data. */
  public TrainerBuilder metrics(Metric... ms) {
    metrics.addAll(List.of(ms));
    return this;
  }

  /** Callbacks told of each step and epoch, e.g. {@link EarlyStopping}. */
  public TrainerBuilder callbacks(TrainingCallback... cs) {
    callbacks.addAll(List.of(cs));
    return this;
  }

  /** Gradient clipping applied before the optimizer, e.g. {@link GradientClipping#byGlobalNorm}. */
  public TrainerBuilder clipping(GradientClipping t) {
    this.clipping = t;
    return this;
  }

  /** A penalty added to the loss over the trainable parameters, e.g. {@link Regularization#l2}. */
  public TrainerBuilder regularization(Regularization p) {
    this.penalty = p;
    return this;
  }

  /** Whether {@link Trainer#fit} shows a progress bar on stderr (default true). */
  public TrainerBuilder progress(boolean on) {
    this.progress = on;
    return this;
  }

  /** Shows fit's progress through {@code r} (e.g. one writing to a captured stream). */
  public TrainerBuilder progress(ProgressReporter r) {
    this.reporter = r;
    this.progress = r.enabled();
    return this;
  }

  /**
   * The back end that runs the train step; default: the one on the class path ({@link Backends#find()}),
   * e.g. {@code TensorFlowBackend.instance()} from {@code kiln-tensorflow}.
   */
  public TrainerBuilder backend(Backend b) {
    this.backend = b;
    return this;
  }

  /** The back end called {@code name} on the class path ({@code "tensorflow"}, {@code "onnxruntime"}); see {@link Backends#named}. */
  public TrainerBuilder backend(String name) { return backend(Backends.named(name)); }

  /**
   * The reporter fit uses: the given one, a stderr bar naming the first metric, or a silent one (public for
   * data-parallel drivers, which draw the replicas' progress themselves).
   */
  public ProgressReporter reporter() {
    if (!progress) return ProgressReporter.disabled();
    if (reporter != null) return reporter;
    return new ProgressReporter(metrics.isEmpty() ? "" : metrics.get(0).name());
  }

  /** Builds the trainer (compiling the train step now when {@link #labels} was declared). */
  public Trainer build() {
    if (loss == null) throw new KilnException("the trainer needs a loss (TrainerBuilder.loss)");
    if (optimizer == null) throw new KilnException("the trainer needs an optimizer (TrainerBuilder.optimizer)");
    if (schedule == null) throw new KilnException("the trainer needs a learning rate (TrainerBuilder.learningRate or schedule)");
    // A schedule that reacts to the epochs (ReduceLROnPlateau) hears of them as a callback.
    if (schedule instanceof TrainingCallback c && !callbacks.contains(c)) callbacks.add(c);
    return new Trainer(this);
  }
}
