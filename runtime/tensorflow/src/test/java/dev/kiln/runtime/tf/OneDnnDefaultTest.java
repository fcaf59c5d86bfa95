package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ops.Ops;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;

/**
 * {@link OneDnn} in a fresh JVM without {@code TF_ENABLE_ONEDNN_OPTS} and without JVM flags: TF then
 * runs MatMul as a oneDNN kernel ({@code _Mkl...}); with the variable set to 0 by the user it does not.
 */
class OneDnnDefaultTest {
  /** Child-process entry: prints the op types TF executed for a MatMul. */
  public static void main(String[] args) {
    // NOTE: with -Dkiln.test.preload=true TF's library loads on the back end's preload thread, as the benchmark and
    // the demo do it, while this thread builds the graph: oneDNN must be configured all the same.
    if (Boolean.getBoolean("kiln.test.preload")) TensorFlowBackend.instance().preload();
    GraphBuilder g = new GraphBuilder("onednn_default");
    var a = g.input("a", TensorType.of(DType.F32, 4, 8));
    var b = g.input("b", TensorType.of(DType.F32, 8, 2));
    g.output("y", Ops.matMul(g, a, b));
    Set<String> types = new TreeSet<>();
    try (TfModel m = TfModel.load(g.build())) {
      var r = m.session().runner()
          .feed(m.lowered().placeholders().get("a"), TfTensors.toTf(HostTensor.filled(DType.F32, new long[] {4, 8}, 1)))
          .feed(m.lowered().placeholders().get("b"), TfTensors.toTf(HostTensor.filled(DType.F32, new long[] {8, 2}, 1)))
          .fetch(m.lowered().outputs().get(0))
          .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
      try (Result res = r.runAndFetchMetadata()) {
        for (GraphDef pg : res.getMetadata().orElseThrow().getPartitionGraphsList()) {
          for (NodeDef n : pg.getNodeList()) types.add(n.getOp());
        }
      }
    }
    System.out.println("OPS " + types);
    System.out.println("STATUS " + OneDnn.status());
  }

  private static String child(String envValue) throws Exception { return child(envValue, null, null); }

  private static boolean preload;

  /**
   * Runs {@link #main} in a fresh JVM with {@code TF_ENABLE_ONEDNN_OPTS=envValue} (unset if null),
   * {@code ONEDNN_MAX_CPU_ISA=userIsa} (unset if null), {@code -Dkiln.onednn.isa=isaProperty} if given, and
   * oneDNN's verbose log on (it names the ISA oneDNN dispatches for).
   */
  private static String child(String envValue, String userIsa, String isaProperty) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-cp", System.getProperty("java.class.path")));
    if (isaProperty != null) cmd.add("-Dkiln.onednn.isa=" + isaProperty);
    if (preload) cmd.add("-Dkiln.test.preload=true");
    cmd.add(OneDnnDefaultTest.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("TF_ENABLE_ONEDNN_OPTS");
    pb.environment().remove("ONEDNN_MAX_CPU_ISA");
    pb.environment().remove("DNNL_MAX_CPU_ISA");
    pb.environment().put("ONEDNN_VERBOSE", "1");
    if (envValue != null) pb.environment().put("TF_ENABLE_ONEDNN_OPTS", envValue);
    if (userIsa != null) pb.environment().put("ONEDNN_MAX_CPU_ISA", userIsa);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void oneDnnIsOnByDefaultAndAUsersZeroWins() throws Exception {
    String unset = child(null);
    assertTrue(unset.contains("_Mkl"), "no oneDNN kernel without the variable:\n" + unset);
    assertTrue(unset.contains("set by Kiln"), unset);
    String off = child("0");
    assertTrue(!off.contains("_Mkl") && off.contains("set by the user"), "TF_ENABLE_ONEDNN_OPTS=0 must win:\n" + off);
  }

  /** Loading TF on the preload thread (issue 22's start-up) keeps oneDNN on and capped, and MatMul still runs. */
  @Test
  void preloadingOnAnotherThreadKeepsTheOneDnnSettings() throws Exception {
    preload = true;
    try {
      String out = child(null);
      assertTrue(out.contains("_Mkl") && out.contains("set by Kiln") && out.contains("ONEDNN_MAX_CPU_ISA=AVX2"), out);
    } finally {
      preload = false;
    }
  }

  /** Kiln caps oneDNN at AVX2 unless told otherwise; a user's ONEDNN_MAX_CPU_ISA wins. */
  @Test
  void oneDnnIsCappedAtAvx2ByDefaultAndTheCapCanBeChanged() throws Exception {
    String dflt = child("1");
    assertTrue(dflt.contains("ONEDNN_MAX_CPU_ISA=AVX2") && !dflt.contains("isa:Intel AVX-512"), dflt);
    assertTrue(dflt.matches("(?s).*onednn_verbose,info,cpu,isa:Intel (AVX2|AVX|SSE4\\.1).*"), dflt);
    String sse = child("1", null, "SSE41");
    assertTrue(sse.contains("isa:Intel SSE4.1") && sse.contains("ONEDNN_MAX_CPU_ISA=SSE41"), sse);
    String user = child("1", "SSE41", "AVX2");
    assertTrue(user.contains("isa:Intel SSE4.1") && user.contains("ONEDNN_MAX_CPU_ISA=SSE41 (set by the user)"), user);
    String nativeIsa = child("1", null, "native");
    assertTrue(nativeIsa.contains("not capped"), nativeIsa);
  }
}
