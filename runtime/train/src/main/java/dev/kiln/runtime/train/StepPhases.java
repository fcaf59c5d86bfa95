package dev.kiln.runtime.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a data-parallel replica's steps spend their time ({@link DataParallelReplica#phases()}), so that the cost of
 * splitting the fused train step can be measured piece by piece instead of guessed: preparing the shard's batch,
 * running the gradients graph, copying the gradients into the all-reduce buffer, the all-reduce itself (the wait for
 * the slowest replica included), applying the summed update, and the bookkeeping around it: the progress bar and
 * listener, the replicas' parameter-hash comparison and the checkpoint.
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

  private final long[] nanos = new long[Phase.values().length];
  private long steps;
  private transient long mark;

  /** Starts timing a step. */
  void start() { mark = System.nanoTime(); }

  /** Charges the time since the last mark to {@code p} and moves the mark. */
  void lap(Phase p) {
    long now = System.nanoTime();
    nanos[p.ordinal()] += now - mark;
    mark = now;
  }

  /** Counts one finished step. */
  void endStep() { steps++; }

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

  /** One line: milliseconds per step of every phase and the total. */
  @Override public String toString() {
    StringBuilder b = new StringBuilder();
    for (Phase p : Phase.values()) b.append(String.format(Locale.ROOT, "%s %.2f ms, ", p.label(), millisPerStep(p)));
    return b.append(String.format(Locale.ROOT, "total %.2f ms a step over %d steps", totalMillisPerStep(), steps)).toString();
  }
}
