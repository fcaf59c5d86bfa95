package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class EqualCases extends OpCases {
  @Override protected void define() {
    valid("same shape", List.of(t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(BOOL, 2, 3));
    valid("bool broadcast", List.of(t(BOOL, "batch", 3), t(BOOL)), Attrs.EMPTY, t(BOOL, "batch", 3));
    invalid("mismatch", List.of(t(I32, 4), t(I32, 3)), Attrs.EMPTY, "cannot broadcast");
    invalid("dtypes differ", List.of(t(F32, 2), t(I32, 2)), Attrs.EMPTY, "dtype");
    onnxData("test_equal", op(Attrs.EMPTY));
    onnxData("test_equal_bcast", op(Attrs.EMPTY));
    // -0.0 equals 0.0 and NaN equals nothing, itself included (IEEE).
    numeric("signed zero and NaN", List.of(HostTensor.ofFloats(new float[] {-0f, Float.NaN, 1.5f, 2}, 4),
            HostTensor.ofFloats(new float[] {0f, Float.NaN, 1.5f, 3}, 4)),
        op(Attrs.EMPTY), List.of(HostTensor.ofBooleans(new boolean[] {true, false, true, false}, 4)));
    numeric("bool", List.of(HostTensor.ofBooleans(new boolean[] {true, false}, 2), HostTensor.ofBooleans(new boolean[] {true}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofBooleans(new boolean[] {true, false}, 2)));
  }
}
