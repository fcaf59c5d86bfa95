package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ErfCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    // No f64 case: ONNX Runtime has no f64 Erf kernel (see Erf).
    valid("scalar", List.of(t(F32)), Attrs.EMPTY, t(F32));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_erf", op(Attrs.EMPTY));
    // Tabulated values: erf(0.5) = 0.5204998778, erf(1) = 0.8427007929, erf(2) = 0.9953222650; erf is odd.
    numeric("table", List.of(HostTensor.ofFloats(new float[] {-0.5f, 0, 1, 2}, 4)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {-0.5204998778f, 0, 0.8427007929f, 0.9953222650f}, 4)));
  }

  @Override public boolean smooth() { return true; }
}
