package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;

/**
 * The known-answer check of TF's convolution kernels: clean at Kiln's default oneDNN settings; where a
 * kernel is wrong (here: a fault injected into Conv2DBackpropFilter's answers), the kernel is rerouted
 * through f64, the reroute gives the right answer, one warning names the CPU and the case, and a model's
 * gradient built afterwards runs on the rerouted kernel and agrees with ONNX Runtime.
 */
class TfSelfCheckTest {
  @AfterEach
  void trustAgain() { TfKernelGuard.clear(); }

  @Test
  void everyKernelKilnEmitsGivesTheKnownAnswer() {
    TfSelfCheck.Report r = TfSelfCheck.check(ConvKernelRunner.ResultFilter.NONE);
    double again = TfSelfCheck.check(ConvKernelRunner.ResultFilter.NONE).millis();
    System.out.printf("[self-check] first run %.1f ms, second %.1f ms%n", r.millis(), again);
    System.out.printf("[self-check] %d cases in %.1f ms on %s with %s; failed: %s%n", r.passed().size() + r.failed().size(),
        r.millis(), Cpu.describe(), OneDnn.status(), r.failed());
    assertEquals(17, r.passed().size() + r.failed().size());
    // Wherever a kernel is wrong, the f64 reroute must be right.
    assertEquals(List.of(), r.stillWrong());
    // Kiln's default cap (AVX2), oneDNN off and lower caps must need no reroute on any CPU.
    // (The onednn-native run sets ONEDNN_MAX_CPU_ISA=ALL: there a wrong kernel may exist and must be rerouted.)
    String status = OneDnn.status();
    boolean atMostAvx2 = status.matches(".*ONEDNN_MAX_CPU_ISA=(AVX2|AVX|SSE41)\\b.*") || status.startsWith("TF_ENABLE_ONEDNN_OPTS=0")
        || status.contains("left off");
    if (atMostAvx2) assertTrue(r.clean(), "wrong kernels at " + status + ": " + r.failed());
  }

  /** The check's graph must reach the kernels real graphs run: oneDNN's, when it is on (not folded constants). */
  @Test
  void theCheckRunsTheKernelsGraphsRun() {
    Set<String> ran = new TreeSet<>();
    ConvKernelRunner.runTogether(TfSelfCheck.cases(), 1, ConvKernelRunner.ResultFilter.NONE, ran);
    System.out.println("[self-check] TF ran " + ran);
    boolean oneDnn = !OneDnn.status().startsWith("TF_ENABLE_ONEDNN_OPTS=0") && !OneDnn.status().contains("left off");
    for (String op : List.of("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "DepthwiseConv2dNative", "Conv3D")) {
      assertTrue(ran.contains(oneDnn ? "_MklNative" + op : op), op + " not run " + (oneDnn ? "on oneDNN" : "") + ": " + ran);
    }
  }

  @Test
  void aWrongKernelIsReroutedCheckedAndReported() {
    List<String> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord rec) { warnings.add(rec.getMessage()); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Logger log = Logger.getLogger(TfSelfCheck.class.getName());
    log.addHandler(capture);
    try {
      TfSelfCheck.Report r = TfSelfCheck.check(corrupting("Conv2DBackpropFilter"));
      assertEquals(5, r.failed().size(), "every Conv2DBackpropFilter case: " + r.failed());
      assertTrue(r.failed().stream().allMatch(f -> f.startsWith("Conv2DBackpropFilter NHWC")), r.failed().toString());
      assertEquals(List.of(), r.stillWrong(), "the f64 reroute must give the known answers");
      assertEquals(Set.of("Conv2DBackpropFilter"), TfKernelGuard.distrusted().keySet());
      assertEquals(1, warnings.size(), warnings.toString());
      String w = warnings.get(0);
      assertTrue(w.contains(Cpu.describe()) && w.contains("Conv2DBackpropFilter NHWC SAME mb5ic3oc8g1_in12x12_k3x3")
          && w.contains("ONEDNN_MAX_CPU_ISA=AVX2"), w);
    } finally {
      log.removeHandler(capture);
    }
    // A conv's filter gradient built now runs Eigen's f64 kernel and still agrees with ONNX Runtime.
    Graph grads = convGradients();
    Map<String, HostTensor> feed = Map.of("x", TestTensors.uniform(new long[] {2, 3, 12, 12}, 3));
    try (TfModel m = TfModel.load(grads);
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      Set<String> ran = executedOpTypes(m, feed);
      assertTrue(ran.contains("Conv2DBackpropFilter") && ran.contains("Cast"), "rerouted kernel not run: " + ran);
      assertFalse(ran.contains("_MklNativeConv2DBackpropFilter") || ran.contains("_MklConv2DBackpropFilter"), ran.toString());
      Map<String, HostTensor> got = m.run(feed);
      Map<String, HostTensor> want = ort.run(feed);
      for (Value v : grads.outputs()) assertNull(Close.compare(want.get(v.name()), got.get(v.name()), 1e-4, 1e-5), v.name());
    }
  }

  /** A fault in the f32 kernel of {@code tfOp}: its answers come back with one element off by 1. */
  private static ConvKernelRunner.ResultFilter corrupting(String tfOp) {
    return (c, actual) -> {
      if (!c.tfOp().equals(tfOp) || TfKernelGuard.distrusts(tfOp)) return actual;
      double[] bad = actual.clone();
      bad[0] += 1;
      return bad;
    };
  }

  /** sum(conv(x, w)^2) and its gradient with respect to w: a 3x3 SAME conv over 3 channels. */
  private static Graph convGradients() {
    GraphBuilder g = new GraphBuilder("conv_grad");
    Value x = g.input("x", TensorType.of(DType.F32, 2, 3, 12, 12));
    Value w = g.parameter("w", TestTensors.uniform(new long[] {8, 3, 3, 3}, 5), true, "test");
    Value y = Ops.conv(g, x, w, null, new long[0], new long[] {1, 1, 1, 1}, new long[0], 1L);
    Value loss = Ops.reduceSum(g, Ops.mul(g, y, y), new long[0], false);
    g.output("loss", loss);
    Graph fwd = g.build();
    return Autodiff.gradients(fwd, fwd.outputs().get(0), List.of(fwd.parameters().get(0).value()), true);
  }

  private static Set<String> executedOpTypes(TfModel m, Map<String, HostTensor> feed) {
    Set<String> types = new TreeSet<>();
    var r = m.session().runner();
    feed.forEach((k, v) -> r.feed(m.lowered().placeholders().get(k), TfTensors.toTf(v)));
    m.lowered().outputs().forEach(r::fetch);
    r.setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
    try (Result res = r.runAndFetchMetadata()) {
      for (GraphDef pg : res.getMetadata().orElseThrow().getPartitionGraphsList()) {
        for (NodeDef n : pg.getNodeList()) types.add(n.getOp());
      }
    }
    return types;
  }
}
