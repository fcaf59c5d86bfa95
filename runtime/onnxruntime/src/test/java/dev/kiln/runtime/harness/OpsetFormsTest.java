package dev.kiln.runtime.harness;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.OpRegistry;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Ops whose ONNX spelling changes with the opset (reduction axes: attribute, then input; LeakyRelu-6/-16;
 * HardSwish, native from opset 14), run in ONNX Runtime at every exportable opset, so each declared form is
 * exercised; the harness runs hand-computed cases at the default opset only. Expected values are computed by hand from
 * x = [[1, 2, 3], [4, 5, 6]].
 */
class OpsetFormsTest {
  private static final HostTensor X = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

  private record Case(String op, Attrs attrs, HostTensor input, HostTensor expected) {}

  private static final List<Case> CASES = List.of(
      new Case("ReduceSum", Attrs.of("axes", new long[] {1}, "keepdims", false), X, HostTensor.ofFloats(new float[] {6, 15}, 2)),
      new Case("ReduceSum", Attrs.EMPTY, X, HostTensor.ofFloats(new float[] {21}, 1, 1)),
      new Case("ReduceMean", Attrs.of("axes", new long[] {-1}, "keepdims", false), X, HostTensor.ofFloats(new float[] {2, 5}, 2)),
      new Case("ReduceMean", Attrs.EMPTY, X, HostTensor.ofFloats(new float[] {3.5f}, 1, 1)),
      new Case("ReduceMax", Attrs.of("axes", new long[] {0}), X, HostTensor.ofFloats(new float[] {4, 5, 6}, 1, 3)),
      new Case("ReduceMax", Attrs.of("keepdims", false), X, HostTensor.ofFloats(new float[] {6})),
      new Case("LeakyRelu", Attrs.of("alpha", 0.5), HostTensor.ofFloats(new float[] {-2, 3}, 2),
          HostTensor.ofFloats(new float[] {-1, 3}, 2)),
      // HardSwish-14, and HardSigmoid times x below opset 14: x * clamp(x / 6 + 1/2, 0, 1).
      new Case("HardSwish", Attrs.EMPTY, HostTensor.ofFloats(new float[] {-4, -1, 1.5f, 5}, 4),
          HostTensor.ofFloats(new float[] {0, -1f / 3, 1.125f, 5}, 4)));

  @TestFactory
  Stream<DynamicTest> everyOpset() {
    return CASES.stream().flatMap(c -> IntStream.rangeClosed(ExportOptions.MIN_OPSET, ExportOptions.MAX_OPSET).mapToObj(opset ->
        DynamicTest.dynamicTest(c.op() + c.attrs() + " @ opset " + opset, () ->
            OnnxRuntimeOpCasesTest.check(c.op() + "_" + opset, List.of(c.input()),
                (g, in) -> g.apply(OpRegistry.get(c.op()), in, c.attrs()), List.of(c.expected()), opset, 1e-6, 1e-6))));
  }
}
