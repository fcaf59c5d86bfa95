package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ShrinkCases extends OpCases {
  @Override protected void define() {
    valid("defaults", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("soft, f64", List.of(t(F64, 5)), Attrs.of("lambd", 1.0, "bias", 1.0), t(F64, 5));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_shrink_hard", op(Attrs.of("lambd", 1.5)));
    onnxData("test_shrink_soft", op(Attrs.of("lambd", 1.5, "bias", 1.5)));
    numeric("soft", List.of(HostTensor.ofFloats(new float[] {-3, -1, 0, 1, 2.5f}, 5)), op(Attrs.of("lambd", 1.0, "bias", 0.5)),
        List.of(HostTensor.ofFloats(new float[] {-2.5f, 0, 0, 0, 2f}, 5)));
  }
}
