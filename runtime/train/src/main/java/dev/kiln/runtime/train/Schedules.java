package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

/**
 * Learning-rate schedules. Each is computed on the host each step by the {@link Trainer}, and can also be
 * built as IR ({@link GraphSchedule}) for an exported training step, which computes it from its step counter.
 */
public final class Schedules {
  private Schedules() {}

  /** a0 at every step. */
  public static GraphSchedule constant(double a0) { return GraphSchedule.of((epoch, step) -> a0, (b, e, s) -> k(b, a0)); }

  /** Time-based decay a0 / (1 + k epoch). */
  public static GraphSchedule timeDecay(double a0, double k) {
    return GraphSchedule.of((epoch, step) -> a0 / (1 + k * epoch),
        (b, e, s) -> Ir.div(b, k(b, a0), Ir.plus(b, Ir.scale(b, e, k), 1)));
  }

  /** Step decay: a0 factor^floor(epoch / every) (PyTorch StepLR with step_size = every, gamma = factor). */
  public static GraphSchedule stepDecay(double a0, int every, double factor) {
    if (every < 1) throw new IllegalArgumentException("step decay: every must be >= 1, got " + every);
    return GraphSchedule.of((epoch, step) -> a0 * Math.pow(factor, epoch / every),
        (b, e, s) -> Ir.scale(b, OptimizerMath.powOf(b, factor, Ops.floor(b, Ir.scale(b, e, 1.0 / every))), a0));
  }

  /** Exponential decay a0 gamma^epoch. */
  public static GraphSchedule exponential(double a0, double gamma) {
    return GraphSchedule.of((epoch, step) -> a0 * Math.pow(gamma, epoch), (b, e, s) -> Ir.scale(b, OptimizerMath.powOf(b, gamma, e), a0));
  }

  /** a0 / sqrt(epoch + 1). */
  public static GraphSchedule inverseSqrt(double a0) {
    return GraphSchedule.of((epoch, step) -> a0 / Math.sqrt(epoch + 1.0), (b, e, s) -> Ir.div(b, k(b, a0), Ir.sqrt(b, Ir.plus(b, e, 1))));
  }

  /**
   * Cosine annealing over {@code totalSteps} steps from a0 down to min (PyTorch CosineAnnealingLR's closed
   * form): min + (a0 - min) (1 + cos(pi step / totalSteps)) / 2, held at min after totalSteps.
   */
  public static GraphSchedule cosine(double a0, long totalSteps, double min) {
    if (totalSteps < 1) throw new IllegalArgumentException("cosine: totalSteps must be >= 1, got " + totalSteps);
    return GraphSchedule.of(
        (epoch, step) -> min + (a0 - min) * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)) / 2,
        (b, e, s) -> {
          Value held = Ops.minimum(b, s, k(b, totalSteps));
          Value cos = Ops.cos(b, Ir.scale(b, held, Math.PI / totalSteps));
          return Ir.plus(b, Ir.scale(b, Ir.plus(b, cos, 1), (a0 - min) / 2), min);
        });
  }

  /**
   * The Transformer schedule (Vaswani et al. 2017): d^-0.5 min(s^-0.5, s warmup^-1.5) with s = step + 1
   * (1-based, so the first step has a non-zero rate): linear warm-up for {@code warmup} steps, then
   * inverse square root decay.
   */
  public static GraphSchedule transformer(int dModel, int warmup) {
    if (dModel < 1 || warmup < 1) throw new IllegalArgumentException("transformer schedule: dModel and warmup must be >= 1");
    return GraphSchedule.of((epoch, step) -> {
      double s = step + 1.0;
      return Math.pow(dModel, -0.5) * Math.min(Math.pow(s, -0.5), s * Math.pow(warmup, -1.5));
    }, (b, e, st) -> {
      Value s = Ir.plus(b, st, 1);
      Value decay = Ir.div(b, k(b, 1), Ir.sqrt(b, s));
      return Ir.scale(b, Ops.minimum(b, decay, Ir.scale(b, s, Math.pow(warmup, -1.5))), Math.pow(dModel, -0.5));
    });
  }

  private static Value k(GraphBuilder b, double v) { return Ir.c(b, DType.F32, v); }
}
