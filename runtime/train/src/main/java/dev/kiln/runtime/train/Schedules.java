package dev.kiln.runtime.train;

/** Learning-rate schedules, computed on the host each step. */
public final class Schedules {
  private Schedules() {}

  /** a0 at every step. */
  public static LearningRateSchedule constant(double a0) { return (epoch, step) -> a0; }

  /** Time-based decay a0 / (1 + k epoch). */
  public static LearningRateSchedule timeDecay(double a0, double k) { return (epoch, step) -> a0 / (1 + k * epoch); }

  /** Step decay: a0 factor^floor(epoch / every) (PyTorch StepLR with step_size = every, gamma = factor). */
  public static LearningRateSchedule stepDecay(double a0, int every, double factor) {
    if (every < 1) throw new IllegalArgumentException("step decay: every must be >= 1, got " + every);
    return (epoch, step) -> a0 * Math.pow(factor, epoch / every);
  }

  /** Exponential decay a0 gamma^epoch. */
  public static LearningRateSchedule exponential(double a0, double gamma) { return (epoch, step) -> a0 * Math.pow(gamma, epoch); }

  /** a0 / sqrt(epoch + 1). */
  public static LearningRateSchedule inverseSqrt(double a0) { return (epoch, step) -> a0 / Math.sqrt(epoch + 1.0); }

  /**
   * Cosine annealing over {@code totalSteps} steps from a0 down to min (PyTorch CosineAnnealingLR's closed
   * form): min + (a0 - min) (1 + cos(pi step / totalSteps)) / 2, held at min after totalSteps.
   */
  public static LearningRateSchedule cosine(double a0, long totalSteps, double min) {
    if (totalSteps < 1) throw new IllegalArgumentException("cosine: totalSteps must be >= 1, got " + totalSteps);
    return (epoch, step) -> min + (a0 - min) * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)) / 2;
  }

  /**
   * The Transformer schedule (Vaswani et al. 2017): d^-0.5 min(s^-0.5, s warmup^-1.5) with s = step + 1
   * (1-based, so the first step has a non-zero rate): linear warm-up for {@code warmup} steps, then
   * inverse square root decay.
   */
  public static LearningRateSchedule transformer(int dModel, int warmup) {
    if (dModel < 1 || warmup < 1) throw new IllegalArgumentException("transformer schedule: dModel and warmup must be >= 1");
    return (epoch, step) -> {
      double s = step + 1.0;
      return Math.pow(dModel, -0.5) * Math.min(Math.pow(s, -0.5), s * Math.pow(warmup, -1.5));
    };
  }
}
