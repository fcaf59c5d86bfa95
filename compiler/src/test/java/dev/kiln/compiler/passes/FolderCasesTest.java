package dev.kiln.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.ops.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every op's {@link dev.kiln.spec.op.Folder} against the same harness entry the runtime
 * suites use: each case's inputs become {@code Constant} nodes, the graph is folded, and each output
 * must be a constant equal to the case's expected values (ONNX backend data or hand-computed).
 */
class FolderCasesTest {
  @TestFactory
  Stream<DynamicTest> foldersAgreeWithTheHarness() {
    return OpRegistry.all().stream().filter(op -> op.folder() != null).flatMap(op -> {
      OpCases c = Objects.requireNonNull(OpCases.forOp(op), op.name() + " has no harness entry");
      Stream<DynamicTest> data = c.onnxDataCases().stream().map(dc -> DynamicTest.dynamicTest(
          op.name() + ": " + dc.testName(), () -> onnxData(op, dc)));
      Stream<DynamicTest> numeric = c.numericCases().stream().map(nc -> DynamicTest.dynamicTest(
          op.name() + ": " + nc.label(), () -> check(op, nc.inputs(), all(nc.inputs().size()),
              (g, in, d) -> nc.build().apply(g, in), nc.expected(), nc.tolerance())));
      return Stream.concat(data, numeric);
    });
  }

  private static int[] all(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static void onnxData(Op op, OpCases.OnnxDataCase dc) throws IOException {
    Path set = Path.of(System.getProperty("kiln.onnx.testdata", "/usr/share/libonnx-testdata/data"))
        .resolve("node").resolve(dc.testName()).resolve("test_data_set_0");
    assertTrue(Files.isDirectory(set), "ONNX backend test data missing: " + set + " (apt-get install libonnx-testdata)");
    List<HostTensor> in = read(set, "input_");
    check(op, in, dc.feed() == null ? all(in.size()) : dc.feed(), dc.build(), read(set, "output_"), 1e-5);
  }

  private static List<HostTensor> read(Path set, String prefix) throws IOException {
    List<HostTensor> out = new ArrayList<>();
    for (int i = 0; Files.exists(set.resolve(prefix + i + ".pb")); i++) {
      try (InputStream s = Files.newInputStream(set.resolve(prefix + i + ".pb"))) {
        out.add(OnnxTensors.fromProto(TensorProto.parseFrom(s)));
      }
    }
    return out;
  }

  private static void check(Op op, List<HostTensor> data, int[] feed, OpCases.DataBuild build, List<HostTensor> expected,
                            double tol) {
    GraphBuilder g = new GraphBuilder("fold_" + op.name());
    List<Value> in = new ArrayList<>();
    for (int i : feed) in.add(Ops.constant(g, data.get(i)));
    List<Value> outs = build.apply(g, in, data);
    outs.forEach(g::output);
    Graph folded = DeadCodeElimination.run(ConstantFolding.run(g.build()));
    Verifier.verify(folded);
    Assumptions.assumeTrue(folded.nodes().stream().allMatch(n -> n.opName().equals("Constant")),
        op.name() + "'s folder declines this case (e.g. a dtype host math lacks)");
    assertEquals(expected.size(), outs.size());
    for (int k = 0; k < outs.size(); k++) {
      Value out = outs.get(k);
      HostTensor got = folded.nodes().stream().filter(n -> n.output() == out).findFirst().map(Node::attrs)
          .orElseThrow().getTensor("value");
      HostTensor want = expected.get(k);
      assertEquals(want.dtype(), got.dtype(), out.name());
      assertArrayEquals(want.shape(), got.shape(), out.name());
      for (int i = 0; i < want.size(); i++) {
        double e = want.getDouble(i);
        double a = got.getDouble(i);
        if (!(Double.isNaN(e) && Double.isNaN(a))) {
          assertEquals(e, a, tol * (1 + Math.abs(e)), out.name() + " element " + i);
        }
      }
    }
  }
}
