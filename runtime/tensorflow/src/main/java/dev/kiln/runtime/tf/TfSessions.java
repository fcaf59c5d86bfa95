package dev.kiln.runtime.tf;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens TF sessions with Kiln's thread settings. TF's defaults (as many inter-op and intra-op threads
 * as cores) stay unless system properties {@code kiln.tf.interOpThreads} / {@code kiln.tf.intraOpThreads}
 * name other counts (0 = TF's choice).
 */
final class TfSessions {
  private TfSessions() {}

  static Session open(Graph g) {
    int inter = Integer.getInteger("kiln.tf.interOpThreads", 0);
    int intra = Integer.getInteger("kiln.tf.intraOpThreads", 0);
    if (inter == 0 && intra == 0) return new Session(g);
    return new Session(g, ConfigProto.newBuilder().setInterOpParallelismThreads(inter)
        .setIntraOpParallelismThreads(intra).build());
  }
}
