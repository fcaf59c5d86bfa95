package dev.kiln.runtime.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a TF train step's time goes, for the benchmark's {@code --profile} (docs/benchmarks.md): turned on by
 * {@code -D}{@value #PROPERTY}{@code =N}, it runs N steps after {@value #WARMUP} warm-up steps with TF's
 * {@code FULL_TRACE}, summing {@code RunMetadata.step_stats} per kernel type (the op TF ran: oneDNN's rewrites show
 * as {@code _Mkl...}), and times the host phases of every later step (the time between steps, which is the
 * trainer's batch assembly, metrics and callbacks; building the feeds; {@code Session.run}; reading the fetches
 * back). Warm-up steps are left out of both: the JIT and TF's kernel caches are still cold then.
 * {@link #report} is printed to stderr when the session closes. Traced steps are slower (tracing has a cost) and
 * are left out of the host-phase means; per-op times overlap when TF runs ops in parallel, so the per-op sum can
 * exceed the traced steps' wall time.
 */
public final class TfStepProfile {
  public static final String PROPERTY = "kiln.tf.profile";
  /** Steps run untraced before the first traced one (JIT, oneDNN primitive caches, allocator warm-up). */
  static final int WARMUP = 10;
  /** Op types listed one by one; the rest are summed in one line. */
  static final int TOP = 20;
  public static final RunOptions FULL_TRACE = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private final String side;
  private final String graphName;
  private final int traced;
  private long steps;
  private long untraced;
  private long lastEnd;
  private long betweenNs;
  private long between;
  private long feedNs;
  private long runNs;
  private long readNs;
  private long tracedWallNs;
  private int tracedDone;
  private final Map<String, long[]> perOp = new LinkedHashMap<>();
  private final Map<String, long[]> perNode = new LinkedHashMap<>();
  /** The single nodes listed after the per-type table, the slowest first. */
  static final int TOP_NODES = 12;

  private TfStepProfile(String side, String graphName, int traced) {
    this.side = side;
    this.graphName = graphName;
    this.traced = traced;
  }

  /** A profile when {@value #PROPERTY} names a positive count of traced steps, else null (the normal case). */
  static TfStepProfile fromProperty(String graphName) { return fromProperty("kiln-tf", graphName); }

  /**
   * The same for another program's TF step ({@code side} names it in the report: the benchmark's hand-written
   * step profiles itself this way, so both steps are traced and timed by the same code).
   */
  public static TfStepProfile fromProperty(String side, String graphName) {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank() || v.equals("false")) return null;
    int n = v.equals("true") ? 20 : Integer.parseInt(v.trim());
    return n > 0 ? new TfStepProfile(side, graphName, n) : null;
  }

  /** Whether the step about to run is traced. */
  public boolean traceNext() { return steps >= WARMUP && tracedDone < traced; }

  /**
   * Records one step: {@code start} on entering {@code step}, {@code fed} after building the feeds, {@code ran}
   * when {@code Session.run} returned, {@code end} after the fetches were read back; {@code md}: the trace, or null.
   */
  public void record(long start, long fed, long ran, long end, RunMetadata md) {
    if (md != null) {
      tracedWallNs += ran - fed;
      tracedDone++;
      for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
        for (NodeExecStats n : dev.getNodeStatsList()) {
          long[] t = perOp.computeIfAbsent(kernel(n), k -> new long[2]);
          t[0] += n.getAllEndRelMicros();
          t[1]++;
          long[] u = perNode.computeIfAbsent(kernel(n) + " " + n.getNodeName(), k -> new long[2]);
          u[0] += n.getAllEndRelMicros();
          u[1]++;
        }
      }
    } else if (steps > WARMUP) {
      untraced++;
      feedNs += fed - start;
      runNs += ran - fed;
      readNs += end - ran;
      if (steps > WARMUP + 1) {
        betweenNs += start - lastEnd;
        between++;
      }
    }
    steps++;
    lastEnd = end;
  }

  /** The op type of a traced node: its timeline label reads "name = Type(inputs)"; else the node's name. */
  static String kernel(NodeExecStats n) {
    String label = n.getTimelineLabel();
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', eq + 3);
    if (eq >= 0 && paren > eq) return label.substring(eq + 3, paren);
    return n.getNodeName();
  }

  /** The table: host phases per untraced step, then per kernel type the mean ms per traced step and its share. */
  public String report() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "PROFILE %s %s: %d steps: %d warm-up, %d traced (FULL_TRACE), %d timed on the host "
        + "%s%n", side, graphName, steps, Math.min(steps, WARMUP), tracedDone, untraced,
        side.equals("kiln-tf") ? "(feeds reused: " + TfFeedTensors.REUSE + ")" : ""));
    if (untraced > 0) {
      s.append(String.format(Locale.ROOT,
          "host per step (us, mean of untraced steps): between steps (the caller's loop; Kiln: batch, metrics, callbacks) %.1f; "
              + "feeds %.1f; Session.run %.1f; read-back %.1f%n",
          between == 0 ? Double.NaN : betweenNs / 1e3 / between, feedNs / 1e3 / untraced, runNs / 1e3 / untraced,
          readNs / 1e3 / untraced));
    }
    if (tracedDone == 0) return s.toString();
    long total = 0;
    long nodesRun = 0;
    for (long[] t : perOp.values()) {
      total += t[0];
      nodesRun += t[1];
    }
    s.append(String.format(Locale.ROOT, "per op type, traced steps: wall %.2f ms per step, op times summed %.2f ms per step, "
        + "%.0f nodes run per step%n", tracedWallNs / 1e6 / tracedDone, total / 1e3 / tracedDone, (double) nodesRun / tracedDone));
    s.append(String.format(Locale.ROOT, "%-40s %10s %7s %7s%n", "op type", "ms/step", "%", "n/step"));
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(perOp.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    long rest = 0;
    int restTypes = 0;
    for (Map.Entry<String, long[]> e : rows) {
      long[] t = e.getValue();
      if (rows.indexOf(e) >= TOP) {
        rest += t[0];
        restTypes++;
        continue;
      }
      s.append(String.format(Locale.ROOT, "%-40s %10.3f %6.1f%% %7.1f%n", e.getKey(), t[0] / 1e3 / tracedDone,
          total == 0 ? 0 : 100.0 * t[0] / total, (double) t[1] / tracedDone));
    }
    if (restTypes > 0) {
      s.append(String.format(Locale.ROOT, "%-40s %10.3f %6.1f%%%n", "(" + restTypes + " other op types)", rest / 1e3 / tracedDone,
          total == 0 ? 0 : 100.0 * rest / total));
    }
    s.append("slowest nodes (op type, node name):\n");
    List<Map.Entry<String, long[]>> nodes = new ArrayList<>(perNode.entrySet());
    nodes.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    for (Map.Entry<String, long[]> e : nodes.subList(0, Math.min(TOP_NODES, nodes.size()))) {
      s.append(String.format(Locale.ROOT, "  %10.3f ms %6.1f%%  %s%n", e.getValue()[0] / 1e3 / tracedDone,
          total == 0 ? 0 : 100.0 * e.getValue()[0] / total, e.getKey()));
    }
    return s.toString();
  }
}
