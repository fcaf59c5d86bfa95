package dev.kiln.runtime.train;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;

/**
 * A learning-rate schedule that can also be built as IR, so an exported training step
 * ({@link TrainingGraph}) computes its own rate from its step counter. Both forms must give the same rate
 * (the IR one in f32). Every schedule of {@link Schedules} is one; a plain lambda is host-only.
 */
public interface GraphSchedule extends LearningRateSchedule {
  /**
   * The rate as an f32 scalar built in {@code b}.
   *
   * @param epoch the 0-based epoch, a whole-valued f32 scalar
   * @param step the 0-based global step (batches seen before this one), a whole-valued f32 scalar
   */
  Value build(GraphBuilder b, Value epoch, Value step);

  /** Pairs a host rule with its IR form. */
  static GraphSchedule of(LearningRateSchedule host, IrRule ir) {
    return new GraphSchedule() {
      @Override public double rate(int epoch, long step) { return host.rate(epoch, step); }

      @Override public Value build(GraphBuilder b, Value epoch, Value step) { return ir.build(b, epoch, step); }
    };
  }

  /** The IR half of a schedule. */
  @FunctionalInterface
  interface IrRule {
    Value build(GraphBuilder b, Value epoch, Value step);
  }
}
