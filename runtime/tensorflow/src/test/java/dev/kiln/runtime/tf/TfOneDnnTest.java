package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ops.Ops;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;

/**
 * Whether {@code TF_ENABLE_ONEDNN_OPTS} (set to 1 for tests by the root pom) reaches TensorFlow: with
 * oneDNN on, TF's graph rewrite runs MatMul as a oneDNN kernel, visible in the partition graphs TF
 * reports as an op type starting {@code _Mkl}; with it off there is none. (TF also logs
 * "oneDNN custom operations are on" at INFO level from {@code port.cc}, hidden when
 * {@code TF_CPP_MIN_LOG_LEVEL} >= 1.)
 */
class TfOneDnnTest {
  @Test
  void oneDnnSettingReachesTensorFlow() {
    GraphBuilder g = new GraphBuilder("onednn_probe");
    var a = g.input("a", TensorType.of(DType.F32, 4, 8));
    var b = g.input("b", TensorType.of(DType.F32, 8, 2));
    g.output("y", Ops.relu(g, Ops.matMul(g, a, b)));
    Set<String> opTypes = new TreeSet<>();
    try (TfModel m = TfModel.load(g.build())) {
      var r = m.session().runner()
          .feed(m.lowered().placeholders().get("a"), TfTensors.toTf(HostTensor.filled(DType.F32, new long[] {4, 8}, 1)))
          .feed(m.lowered().placeholders().get("b"), TfTensors.toTf(HostTensor.filled(DType.F32, new long[] {8, 2}, 1)))
          .fetch(m.lowered().outputs().get(0))
          .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
      try (Result res = r.runAndFetchMetadata()) {
        for (GraphDef pg : res.getMetadata().orElseThrow().getPartitionGraphsList()) {
          for (NodeDef n : pg.getNodeList()) opTypes.add(n.getOp());
        }
      }
    }
    boolean mkl = opTypes.stream().anyMatch(t -> t.startsWith("_Mkl"));
    String env = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    System.out.println("[oneDNN] TF_ENABLE_ONEDNN_OPTS=" + env + "; executed op types: " + opTypes);
    if ("1".equals(env) || "0".equals(env)) {
      assertEquals("1".equals(env), mkl, "TF_ENABLE_ONEDNN_OPTS=" + env + " but TF ran op types " + opTypes);
    }
  }
}
