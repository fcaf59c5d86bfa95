package dev.kiln.runtime.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every op's numeric harness cases: build the op in the IR, export it to ONNX, run it in ONNX Runtime,
 * compare with ONNX's own backend test data (rtol 1e-3, atol 1e-7 as ONNX's runner uses) or with the
 * hand-computed values.
 */
class OnnxRuntimeOpCasesTest {
  @TestFactory
  Stream<DynamicTest> onnxBackendTestData() {
    return CaseGraph.allCases().flatMap(c -> c.onnxDataCases().stream().map(dc -> DynamicTest.dynamicTest(c.op() + ": " + dc.testName(), () -> {
      OnnxTestData data = OnnxTestData.node(dc.testName());
      int opset = Math.max(ExportOptions.MIN_OPSET, Math.min(ExportOptions.MAX_OPSET, data.opset()));
      check(dc.testName(), CaseGraph.of(dc, data), data.outputs(), opset, 1e-3, 1e-7);
    })));
  }

  @TestFactory
  Stream<DynamicTest> handComputed() {
    return CaseGraph.allCases().flatMap(c -> c.numericCases().stream().map(nc -> DynamicTest.dynamicTest(c.op() + ": " + nc.label(), () ->
        check(nc.label(), CaseGraph.of(nc.label(), nc.inputs(), nc.build()), nc.expected(), ExportOptions.DEFAULT_OPSET,
            nc.tolerance(), nc.tolerance()))));
  }

  /** Builds the case's graph ({@link CaseGraph#of(String, List, OpCases.Build)}) and checks it. */
  static void check(String label, List<HostTensor> inputs, OpCases.Build build, List<HostTensor> expected, int opset,
                    double rtol, double atol) {
    check(label, CaseGraph.of(label, inputs, build), expected, opset, rtol, atol);
  }

  static void check(String label, CaseGraph cg, List<HostTensor> expected, int opset, double rtol, double atol) {
    byte[] model = OnnxExporter.export(cg.graph(), ExportOptions.defaults().opset(opset)).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      Map<String, HostTensor> got = m.run(cg.feed());
      assertEquals(expected.size(), got.size(), "output count");
      for (int i = 0; i < expected.size(); i++) {
        String problem = Close.compare(expected.get(i), got.get("out" + i), rtol, atol);
        if (problem != null) fail(label + " output " + i + ": " + problem);
      }
    }
  }
}
