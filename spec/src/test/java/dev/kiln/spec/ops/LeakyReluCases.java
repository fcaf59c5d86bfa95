package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class LeakyReluCases extends OpCases {
  @Override protected void define() {
    valid("default alpha", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("alpha given", List.of(t(F32, 2)), Attrs.of("alpha", 0.2), t(F32, 2));
    invalid("integer input", List.of(t(I64, 2)), Attrs.EMPTY, "floating-point");
    invalid("alpha not a float", List.of(t(F32, 2)), Attrs.of("alpha", "big"), "attribute 'alpha' must be float");
    onnxData("test_leakyrelu", op(Attrs.of("alpha", 0.1)));
    onnxData("test_leakyrelu_default", op(Attrs.EMPTY));
    onnxData("test_leakyrelu_example", op(Attrs.of("alpha", 0.1)));
    numeric("default alpha 0.01", List.of(HostTensor.ofFloats(new float[] {-2, -0.5f, 0, 3}, 4)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {-0.02f, -0.005f, 0, 3}, 4)));
  }
}
