package dev.kiln.runtime.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * Opens TF sessions with Kiln's settings. TF's defaults (as many inter-op and intra-op threads as cores, no XLA)
 * stay unless system properties {@code kiln.tf.interOpThreads} / {@code kiln.tf.intraOpThreads} name other counts
 * (0 = TF's choice) or {@code kiln.tf.xla=true} turns on XLA auto-clustering ({@code global_jit_level} ON_1), a
 * speed lever that the benchmark measures (docs/benchmarks.md) rather than a default.
 */
final class TfSessions {
  private TfSessions() {}

  static Session open(Graph g) {
    TfNativeLogs.absorbFirstRunLines();  // before the process's first session run: see TfNativeLogs
    int inter = Integer.getInteger("kiln.tf.interOpThreads", 0);
    int intra = Integer.getInteger("kiln.tf.intraOpThreads", 0);
    boolean xla = Boolean.getBoolean("kiln.tf.xla");
    if (inter == 0 && intra == 0 && !xla) return new Session(g);
    ConfigProto.Builder c = ConfigProto.newBuilder().setInterOpParallelismThreads(inter).setIntraOpParallelismThreads(intra);
    if (xla) {
      c.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(
          OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
    }
    return new Session(g, c.build());
  }
}
