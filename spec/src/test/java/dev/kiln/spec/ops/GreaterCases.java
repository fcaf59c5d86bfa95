package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GreaterCases extends OpCases {
  @Override protected void define() {
    valid("same shape", List.of(t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(BOOL, 2, 3));
    valid("broadcast", List.of(t(I64, "batch", 3), t(I64, 3)), Attrs.EMPTY, t(BOOL, "batch", 3));
    invalid("mismatch", List.of(t(F32, 2, 3), t(F32, 3, 2)), Attrs.EMPTY, "cannot broadcast");
    invalid("dtypes differ", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    invalid("bool input", List.of(t(BOOL, 2), t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_greater", op(Attrs.EMPTY));
    onnxData("test_greater_bcast", op(Attrs.EMPTY));
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3}, 3), HostTensor.ofFloats(new float[] {2}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofBooleans(new boolean[] {false, false, true}, 3)));
  }
}
