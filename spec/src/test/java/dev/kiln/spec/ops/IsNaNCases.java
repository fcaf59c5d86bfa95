package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class IsNaNCases extends OpCases {
  @Override protected void define() {
    valid("f32 to bool", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(BOOL, "batch", 3));
    valid("f64 to bool", List.of(t(F64, 2)), Attrs.EMPTY, t(BOOL, 2));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_isnan", op(Attrs.EMPTY));
    numeric("specials", List.of(HostTensor.fromDoubles(F64, new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1}, 4)),
        op(Attrs.EMPTY), List.of(HostTensor.ofBooleans(new boolean[] {true, false, false, false}, 4)));
  }
}
