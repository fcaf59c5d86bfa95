package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SeluCases extends OpCases {
  @Override protected void define() {
    valid("default constants", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("given, f64", List.of(t(F64, 4)), Attrs.of("alpha", 2.0, "gamma", 3.0), t(F64, 4));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_selu", op(Attrs.of("alpha", 2.0, "gamma", 3.0)));
    onnxData("test_selu_default", op(Attrs.EMPTY));
    onnxData("test_selu_example", op(Attrs.of("alpha", 2.0, "gamma", 3.0)));
    // The SELU paper's constants: alpha = 1.6732632423543772, lambda = 1.0507009873554805.
    double a = 1.6732632423543772;
    double l = 1.0507009873554805;
    numeric("paper constants", List.of(HostTensor.ofFloats(new float[] {-1, 0, 1}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {(float) (l * a * (Math.exp(-1) - 1)), 0, (float) l}, 3)));
  }
}
