package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class HardSwishCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("f64", List.of(t(F64, 2, 5)), Attrs.EMPTY, t(F64, 2, 5));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_hardswish", op(Attrs.EMPTY));
    // x * clamp(x/6 + 1/2, 0, 1): -1 * 1/3, 1.5 * 3/4.
    numeric("pieces", List.of(HostTensor.ofFloats(new float[] {-4, -1, 0, 1.5f, 3, 5}, 6)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {0, -1f / 3, 0, 1.125f, 3, 5}, 6)));
  }

  /** A quadratic on the drawn inputs, [-2, 2], inside the kinks at -3 and 3. */
  @Override public boolean smooth() { return true; }
}
