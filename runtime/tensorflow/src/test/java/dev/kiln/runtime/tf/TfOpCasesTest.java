package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.runtime.harness.CaseGraph;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.harness.OnnxTestData;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.TfLowering;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every op's numeric harness cases run on the TensorFlow back end: ONNX's backend test data (rtol 1e-3,
 * atol 1e-7, as ONNX's runner uses) and hand-computed values (the case's tolerance). Ops whose TF
 * lowering is declared unsupported are reported as skipped with the reason, not failed. Should TF
 * abort the JVM on a case, {@link TfCrashMarker} names it in {@code target/tf-harness-running.txt}.
 */
class TfOpCasesTest {
  @TestFactory
  Stream<DynamicTest> onnxBackendTestData() {
    return CaseGraph.allCases().flatMap(c -> c.onnxDataCases().stream().map(dc -> DynamicTest.dynamicTest(c.op() + ": " + dc.testName(), () -> {
      OnnxTestData data = OnnxTestData.node(dc.testName());
      check(c, dc.testName(), CaseGraph.of(dc, data), data.outputs(), 1e-3, 1e-7);
    })));
  }

  @TestFactory
  Stream<DynamicTest> handComputed() {
    return CaseGraph.allCases().flatMap(c -> c.numericCases().stream().map(nc -> DynamicTest.dynamicTest(c.op() + ": " + nc.label(), () ->
        check(c, nc.label(), CaseGraph.of(nc.label(), nc.inputs(), nc.build()), nc.expected(), nc.tolerance(), nc.tolerance()))));
  }

  /** Text naming an op's TF lowering for failure messages: {@code TF op AddV2} or {@code TF handler x}. */
  static String tfName(String op) {
    TfLowering l = OpRegistry.get(op).tf();
    if (l == null) return "no TF lowering";
    if (!l.isSupported()) return "TF unsupported";
    return (l.isCustom() ? "TF handler " : "TF op ") + l.opType();
  }

  @BeforeAll
  static void before() { TfCrashMarker.reportLeftover(); }

  @AfterAll
  static void after() { TfCrashMarker.finished(); }

  /**
   * Lowers a case's graph, or skips it (printing why) when the op under test is unsupported on TF, as
   * declared or as its custom lowering says for this configuration. Other lowering errors are failures.
   */
  static TfModel loadOrSkip(OpCases c, String label, CaseGraph cg) {
    TfCrashMarker.running(c.op() + " case " + label + " (" + tfName(c.op()) + ")");
    TfLowering l = OpRegistry.get(c.op()).tf();
    String why = l == null ? "no TensorFlow lowering declared" : !l.isSupported() ? l.unsupportedReason() : null;
    if (why == null) {
      try {
        return TfModel.load(cg.graph());
      } catch (UnsupportedOpException e) {
        why = e.getMessage();
      } catch (RuntimeException e) {
        throw new AssertionError(c.op() + " case " + label + " (" + tfName(c.op()) + ") failed to lower: " + e.getMessage(), e);
      }
    }
    System.out.println("[TF unsupported] " + c.op() + " case " + label + ": " + why);
    Assumptions.abort(c.op() + " is unsupported on TensorFlow: " + why);
    throw new AssertionError("unreachable");
  }

  private static void check(OpCases c, String label, CaseGraph cg, List<HostTensor> expected, double rtol, double atol) {
    try (TfModel m = loadOrSkip(c, label, cg)) {
      Map<String, HostTensor> got;
      try {
        got = m.run(cg.feed());
      } catch (RuntimeException e) {
        throw new AssertionError(c.op() + " case " + label + " (" + tfName(c.op()) + ") failed to run: " + e.getMessage(), e);
      }
      if (got.size() != expected.size()) {
        fail(c.op() + " case " + label + " (" + tfName(c.op()) + "): " + got.size() + " outputs, expected " + expected.size());
      }
      for (int i = 0; i < expected.size(); i++) {
        String problem = Close.compare(expected.get(i), got.get("out" + i), rtol, atol);
        if (problem != null) fail(c.op() + " case " + label + " (" + tfName(c.op()) + ") output " + i + ": " + problem);
      }
    }
  }

}
