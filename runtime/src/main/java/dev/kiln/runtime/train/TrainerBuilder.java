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
  final List<EvalMetric> metrics = new ArrayList<>();
  final List<TrainingCallback> callbacks = new ArrayList<>();
  TrainStep.GradientTransform clipping;
  TrainStep.Penalty penalty;

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

  public TrainerBuilder optimizer(Optimizer o) {
    this.optimizer = o;
    return this;
  }

  /** The learning-rate schedule (required unless {@link #learningRate} is given). */
  public TrainerBuilder schedule(LearningRateSchedule s) {
    this.schedule = s;
    return this;
  }

  /** A constant learning rate. */
  public TrainerBuilder learningRate(double lr) { return schedule((epoch, step) -> lr); }

  /** The seed of the shuffles (the model's initial weights come from the model's own seed). */
  public TrainerBuilder seed(long s) {
    this.seed = s;
    return this;
  }

  public TrainerBuilder metrics(EvalMetric... ms) {
    metrics.addAll(List.of(ms));
    return this;
  }

  public TrainerBuilder callbacks(TrainingCallback... cs) {
    callbacks.addAll(List.of(cs));
    return this;
  }

  /** A gradient transform applied before the optimizer, e.g. clipping by global norm. */
  public TrainerBuilder clipping(TrainStep.GradientTransform t) {
    this.clipping = t;
    return this;
  }

  /** A penalty added to the loss, e.g. L2 over the trainable parameters. */
  public TrainerBuilder regularization(TrainStep.Penalty p) {
    this.penalty = p;
    return this;
  }

  public Trainer build() {
    if (loss == null) throw new KilnException("the trainer needs a loss (TrainerBuilder.loss)");
    if (optimizer == null) throw new KilnException("the trainer needs an optimizer (TrainerBuilder.optimizer)");
    if (schedule == null) throw new KilnException("the trainer needs a learning rate (TrainerBuilder.learningRate or schedule)");
    return new Trainer(this);
  }
}
