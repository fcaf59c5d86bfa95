package dev.kiln.runtime.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    return cases().flatMap(c -> c.onnxDataCases().stream().map(dc -> DynamicTest.dynamicTest(c.op() + ": " + dc.testName(), () -> {
      OnnxTestData data = OnnxTestData.node(dc.testName());
      int opset = Math.max(ExportOptions.MIN_OPSET, Math.min(ExportOptions.MAX_OPSET, data.opset()));
      List<HostTensor> fed = new ArrayList<>();
      if (dc.feed() == null) fed.addAll(data.inputs());
      else for (int i : dc.feed()) fed.add(data.inputs().get(i));
      check(dc.testName(), fed, (g, in) -> dc.build().apply(g, in, data.inputs()), data.outputs(), opset, 1e-3, 1e-7);
    })));
  }

  @TestFactory
  Stream<DynamicTest> handComputed() {
    return cases().flatMap(c -> c.numericCases().stream().map(nc -> DynamicTest.dynamicTest(c.op() + ": " + nc.label(), () ->
        check(nc.label(), nc.inputs(), nc.build(), nc.expected(), ExportOptions.DEFAULT_OPSET, nc.tolerance(), nc.tolerance()))));
  }

  private static Stream<OpCases> cases() {
    return OpRegistry.all().stream().map(OpCases::forOp).filter(Objects::nonNull);
  }

  static void check(String label, List<HostTensor> inputs, OpCases.Build build, List<HostTensor> expected, int opset,
                    double rtol, double atol) {
    GraphBuilder g = new GraphBuilder(label.replaceAll("[^A-Za-z0-9_]", "_"));
    List<Value> in = new ArrayList<>();
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      in.add(g.input("in" + i, inputs.get(i).type()));
      feed.put("in" + i, inputs.get(i));
    }
    List<Value> outs = build.apply(g, in);
    for (int i = 0; i < outs.size(); i++) g.output("out" + i, outs.get(i));
    byte[] model = OnnxExporter.export(g.build(), ExportOptions.defaults().opset(opset)).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      Map<String, HostTensor> got = m.run(feed);
      assertEquals(expected.size(), got.size(), "output count");
      for (int i = 0; i < expected.size(); i++) {
        String problem = Close.compare(expected.get(i), got.get("out" + i), rtol, atol);
        if (problem != null) fail(label + " output " + i + ": " + problem);
      }
    }
  }
}
