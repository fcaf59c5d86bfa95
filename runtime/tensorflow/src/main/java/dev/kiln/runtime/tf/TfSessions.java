package dev.kiln.runtime.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;

/**
 * Opens TF sessions with Kiln's settings. TF's defaults (as many inter-op and intra-op threads as cores, shared by
 * every session of the process, no XLA) stay unless system properties {@code kiln.tf.interOpThreads} /
 * {@code kiln.tf.intraOpThreads} name other counts (0 = TF's choice; a count set gives each session its own
 * inter-op pool, {@code kiln.tf.perSessionThreads=false} shares them again; one inter-op thread means the caller's
 * own: each run executes on the thread that calls it) or {@code kiln.tf.xla=true} turns on XLA
 * auto-clustering ({@code global_jit_level} ON_1), a speed lever that the benchmark measures (docs/benchmarks.md)
 * rather than a default.
 *
 * <p>NOTE: TF sizes its process-wide inter-op and intra-op thread pools from the options of the process's
 * <em>first</em> session; every later session shares them whatever its own options say. So every session Kiln
 * opens, its internal ones too (the log absorber's, the preload's, the kernel self-check's), carries the same
 * thread settings: otherwise an internal session opened first with TF's defaults would make
 * {@code kiln.tf.intraOpThreads=1} a no-op (measured: a "1-thread" Spark worker used 1.7 cores).
 */
final class TfSessions {
  private TfSessions() {}

  static Session open(Graph g) {
    TfNativeLogs.absorbFirstRunLines();  // before the process's first session run: see TfNativeLogs
    return withSettings(g);
  }

  /** A session with Kiln's settings and nothing else done first (for the internal sessions named above). */
  static Session withSettings(Graph g) {
    ConfigProto c = settings(ConfigProto.newBuilder());
    return c == null ? new Session(g) : new Session(g, c);
  }

  /** {@code base} with Kiln's thread and XLA settings added; null when none is set and {@code base} is empty. */
  static ConfigProto settings(ConfigProto.Builder base) {
    int inter = Integer.getInteger("kiln.tf.interOpThreads", 0);
    int intra = Integer.getInteger("kiln.tf.intraOpThreads", 0);
    boolean xla = Boolean.getBoolean("kiln.tf.xla");
    // Explicit thread counts are a budget per session (per trainer, per Spark replica), which only holds with the
    // session's own pools: TF's shared ones serve every session of the process (two local[2] replicas at 1 thread
    // each ran one after the other on one pool thread: 1.0x; with their own pools 1.5x).
    String ps = System.getProperty("kiln.tf.perSessionThreads");
    boolean perSession = ps != null ? Boolean.parseBoolean(ps) : inter > 0 || intra > 0;
    if (inter == 1 && ps == null) {
      // One inter-op thread: TF runs each Session.run on the calling thread instead (its run_in_caller_thread, chosen
      // by a negative inter-op count with the shared pools): the same one-op-at-a-time order, without handing every
      // run to a pool thread and waiting for it. Measured on the MLP's gradients at batch 64, 1 intra-op thread: 1.14
      // against 1.30-2.14 ms, the Adam update 0.25 against 0.44-0.56 ms; and a Spark worker is then one busy thread,
      // not two that the OS can put on one core (docs/spark.md).
      inter = -1;
      perSession = false;
    }
    if (inter == 0 && intra == 0 && !xla && !perSession && base.build().equals(ConfigProto.getDefaultInstance())) return null;
    ConfigProto.Builder c = base.setInterOpParallelismThreads(inter).setIntraOpParallelismThreads(intra)
        .setUsePerSessionThreads(perSession);
    if (xla) {
      c.setGraphOptions(c.getGraphOptions().toBuilder().setOptimizerOptions(
          OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
    }
    return c.build();
  }
}
