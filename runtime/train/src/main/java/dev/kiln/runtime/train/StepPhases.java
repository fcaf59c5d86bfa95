package dev.kiln.runtime.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a data-parallel replica's steps spend their time ({@link DataParallelReplica#phases()}), so that the cost of
 * splitting the fused train step can be measured piece by piece instead of guessed: preparing the shard's batch,
 * running the gradients graph, copying the gradients into the all-reduce buffer, the all-reduce itself (the wait for
 * the slowest replica included), applying the summed update, and the bookkeeping around it: the progress bar and
 * listener, the replicas' parameter-hash comparison and the checkpoint.
 *
 * <p>Means hide what synchronous training pays for: a replica waits at every all-reduce for the slowest one, so a
 * step is as long as the slowest replica's <em>own work</em> (everything but the all-reduce) that step. So each
 * step's own work and all-reduce time are also kept (the last {@link #KEPT} steps) for {@link #spread()}: replicas
 * whose own-work medians differ, or whose own work has a long tail, lose the difference at every step.
 */
public final class StepPhases implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The phases of one step, in the order they run. */
  public enum Phase {
    BATCH("batch"), GRADIENTS("gradients"), PACK("pack"), ALL_REDUCE("all-reduce"), APPLY("apply"), REPORT("report"),
    HASH_CHECK("hash check"), CHECKPOINT("checkpoint");

    private final String label;

    Phase(String label) { this.label = label; }

    /** How tables name the phase. */
    public String label() { return label; }
  }

  /** Steps whose own work and all-reduce time {@link #spread()} reads (the last ones: a long epoch keeps its end). */
  static final int KEPT = 4096;

  private final long[] nanos = new long[Phase.values().length];
  private long steps;
  private final long[] ownWork = new long[KEPT];
  private final long[] allReduce = new long[KEPT];
  private transient long mark;
  private transient long stepStart;
  private transient long stepAllReduce;

  /** Starts timing a step. */
  void start() {
    mark = System.nanoTime();
    stepStart = mark;
    stepAllReduce = 0;
  }

  /** Charges the time since the last mark to {@code p} and moves the mark. */
  void lap(Phase p) {
    long now = System.nanoTime();
    nanos[p.ordinal()] += now - mark;
    if (p == Phase.ALL_REDUCE) stepAllReduce += now - mark;
    mark = now;
  }

  /** Counts one finished step. */
  void endStep() {
    int i = (int) (steps % KEPT);
    allReduce[i] = stepAllReduce;
    ownWork[i] = mark - stepStart - stepAllReduce;
    steps++;
  }

  /** Forgets everything measured so far (after warm-up). */
  public void reset() {
    java.util.Arrays.fill(nanos, 0);
    steps = 0;
  }

  /** Steps measured. */
  public long steps() { return steps; }

  /** Mean milliseconds per step spent in {@code p}. */
  public double millisPerStep(Phase p) { return steps == 0 ? Double.NaN : nanos[p.ordinal()] / 1e6 / steps; }

  /** Mean milliseconds per step, all phases. */
  public double totalMillisPerStep() {
    double t = 0;
    for (Phase p : Phase.values()) t += millisPerStep(p);
    return t;
  }

  /**
   * One line: the 10th, 50th and 90th percentile of a step's own work (all phases but the all-reduce) and of its
   * all-reduce (waiting for the other replicas included), milliseconds, over the last {@link #KEPT} steps measured.
   */
  public String spread() {
    int n = (int) Math.min(steps, KEPT);
    if (n == 0) return "no steps measured";
    return String.format(Locale.ROOT, "own work p10/p50/p90 %s ms, all-reduce (waiting included) %s ms, over %d steps",
        percentiles(ownWork, n), percentiles(allReduce, n), n);
  }

  private static String percentiles(long[] samples, int n) {
    long[] v = java.util.Arrays.copyOf(samples, n);
    java.util.Arrays.sort(v);
    return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", v[n / 10] / 1e6, v[n / 2] / 1e6, v[Math.min(n - 1, 9 * n / 10)] / 1e6);
  }

  /** One line: milliseconds per step of every phase and the total. */
  @Override public String toString() {
    StringBuilder b = new StringBuilder();
    for (Phase p : Phase.values()) b.append(String.format(Locale.ROOT, "%s %.2f ms, ", p.label(), millisPerStep(p)));
    return b.append(String.format(Locale.ROOT, "total %.2f ms a step over %d steps", totalMillisPerStep(), steps)).toString();
  }
}
