package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class PReluCases extends OpCases {
  @Override protected void define() {
    valid("slope per channel", List.of(t(F32, "batch", 3, 4, 4), t(F32, 3, 1, 1)), Attrs.EMPTY, t(F32, "batch", 3, 4, 4));
    valid("one slope", List.of(t(F64, 2, 3), t(F64, 1)), Attrs.EMPTY, t(F64, 2, 3));
    valid("full slope", List.of(t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(F32, 2, 3));
    invalid("slope wider than x", List.of(t(F32, 2, 1), t(F32, 2, 3)), Attrs.EMPTY, "must broadcast to x's shape");
    invalid("slope of more axes", List.of(t(F32, 3), t(F32, 1, 3)), Attrs.EMPTY, "has more axes than x");
    invalid("mixed dtypes", List.of(t(F32, 3), t(F64, 3)), Attrs.EMPTY, "cast explicitly");
    invalid("integer input", List.of(t(I64, 3), t(I64, 3)), Attrs.EMPTY, "floating-point");
    onnxData("test_prelu_broadcast", op(Attrs.EMPTY));
    onnxData("test_prelu_example", op(Attrs.EMPTY));
    numeric("slope per channel", List.of(HostTensor.ofFloats(new float[] {-1, 2, -3, 4}, 1, 2, 2),
            HostTensor.ofFloats(new float[] {0.1f, 0.5f}, 2, 1)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {-0.1f, 2, -1.5f, 4}, 1, 2, 2)));
  }
}
