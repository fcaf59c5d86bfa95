package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;

/** What the kernel-fault tests check on a lowered graph: which TF ops it holds, and that it agrees with ONNX Runtime. */
final class OrtAgreement {
  private OrtAgreement() {}

  /** Every operation of {@code tf}'s lowered TF graph (type and name). */
  static List<GraphOperation> operations(TfModel tf) {
    List<GraphOperation> ops = new ArrayList<>();
    for (Iterator<GraphOperation> it = tf.lowered().graph().operations(); it.hasNext(); ) ops.add(it.next());
    return ops;
  }

  /**
   * Runs {@code feed} through {@code tf} {@code runs} times (some faults show only on a warm session) and checks each
   * of {@code graph}'s outputs against ONNX Runtime's (rtol 1e-4, atol 1e-5).
   */
  static void overRuns(TfModel tf, OnnxRuntimeModel ort, Graph graph, Map<String, HostTensor> feed, int runs) {
    Map<String, HostTensor> want = ort.run(feed);
    for (int run = 0; run < runs; run++) {
      Map<String, HostTensor> got = tf.run(feed);
      for (Value v : graph.outputs()) assertNull(Close.compare(want.get(v.name()), got.get(v.name()), 1e-4, 1e-5), "run " + run + ": " + v.name());
    }
  }
}
