package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class HardSigmoidCases extends OpCases {
  @Override protected void define() {
    valid("ONNX defaults", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("PyTorch's alpha, f64", List.of(t(F64, 4)), Attrs.of("alpha", 1.0 / 6, "beta", 0.5), t(F64, 4));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_hardsigmoid", op(Attrs.of("alpha", 0.5, "beta", 0.6)));
    onnxData("test_hardsigmoid_default", op(Attrs.EMPTY));
    onnxData("test_hardsigmoid_example", op(Attrs.of("alpha", 0.5, "beta", 0.6)));
    // ONNX defaults: 0.2x + 0.5 is 0 at x = -2.5 and 1 at x = 2.5.
    numeric("ONNX defaults", List.of(HostTensor.ofFloats(new float[] {-3, -1, 0, 1, 3}, 5)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {0, 0.3f, 0.5f, 0.7f, 1}, 5)));
    // PyTorch's: x/6 + 0.5 is 0 at x = -3 and 1 at x = 3.
    numeric("PyTorch's constants", List.of(HostTensor.ofFloats(new float[] {-4, 0, 1.5f, 4}, 4)),
        op(Attrs.of("alpha", 1.0 / 6, "beta", 0.5)), List.of(HostTensor.ofFloats(new float[] {0, 0.5f, 0.75f, 1}, 4)));
  }
}
