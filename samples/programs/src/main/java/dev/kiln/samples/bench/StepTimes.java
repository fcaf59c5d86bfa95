package dev.kiln.samples.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The end times of a run's training steps, recorded by whichever side trains: steady-state throughput (the
 * examples after the first step over the time after it, over every epoch of the run, so no epoch is picked),
 * the median step, and the wall-clock time the first step ended (so the parent process can measure process
 * start to first step with the one clock both share).
 */
final class StepTimes {
  private long[] ends = new long[1024];
  private int count;
  private long firstStepWallMs;

  /** Call at the end of every step. */
  void stepEnded() {
    if (count == 0) firstStepWallMs = System.currentTimeMillis();
    if (count == ends.length) ends = Arrays.copyOf(ends, count * 2);
    ends[count++] = System.nanoTime();
  }

  int steps() { return count; }

  /** Examples per second after the first step, {@code examples} being all the run's examples, the first batch's included. */
  double samplesPerSecond(long examples, int firstBatch) {
    if (count < 2) throw new IllegalStateException("a throughput needs at least 2 steps, the run had " + count);
    return (examples - firstBatch) / ((ends[count - 1] - ends[0]) / 1e9);
  }

  double medianStepMs() {
    double[] steps = new double[Math.max(0, count - 1)];
    for (int i = 1; i < count; i++) steps[i - 1] = (ends[i] - ends[i - 1]) / 1e6;
    return BenchModels.median(steps);
  }

  /**
   * The line {@link TrainBenchmark} parses: {@code RESULT samples_per_s=... median_step_ms=... first_step_end_ms=...
   * peak_rss_mb=...} (peak resident memory: this process's {@code VmHWM}).
   */
  String resultLine(long examples, int firstBatch) {
    return String.format(Locale.ROOT, "RESULT samples_per_s=%.1f median_step_ms=%.3f first_step_end_ms=%d peak_rss_mb=%.1f",
        samplesPerSecond(examples, firstBatch), medianStepMs(), firstStepWallMs, PeakMemory.selfMb());
  }
}
