package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class EluCases extends OpCases {
  @Override protected void define() {
    valid("default alpha", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("alpha given, f64", List.of(t(F64, 2, 2)), Attrs.of("alpha", 0.5), t(F64, 2, 2));
    invalid("integer input", List.of(t(I64, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_elu", op(Attrs.of("alpha", 2.0)));
    onnxData("test_elu_default", op(Attrs.EMPTY));
    onnxData("test_elu_example", op(Attrs.of("alpha", 2.0)));
    numeric("alpha 0.5", List.of(HostTensor.ofFloats(new float[] {-1, 0, 2}, 3)), op(Attrs.of("alpha", 0.5)),
        List.of(HostTensor.ofFloats(new float[] {(float) (0.5 * (Math.exp(-1) - 1)), 0, 2}, 3)));
  }
}
