package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SubCases extends OpCases {
  @Override protected void define() {
    valid("broadcast row", List.of(t(F32, "batch", 3), t(F32, 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("scalar", List.of(t(I32, 2, 2), t(I32)), Attrs.EMPTY, t(I32, 2, 2));
    invalid("mismatch", List.of(t(F32, 2, 3), t(F32, 2, 4)), Attrs.EMPTY, "cannot broadcast [2, 3] with [2, 4]");
    invalid("dtypes differ", List.of(t(F32, 2), t(I32, 2)), Attrs.EMPTY, "dtype");
    invalid("bool", List.of(t(BOOL, 2), t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_sub", op(Attrs.EMPTY));
    onnxData("test_sub_bcast", op(Attrs.EMPTY));
    onnxData("test_sub_example", op(Attrs.EMPTY));
    onnxData("test_sub_uint8", op(Attrs.EMPTY));
    numeric("int32 broadcast", List.of(HostTensor.ofInts(new int[] {5, 7, -1, 0}, 2, 2), HostTensor.ofInts(new int[] {2, 10}, 2)),
        op(Attrs.EMPTY), List.of(HostTensor.ofInts(new int[] {3, -3, -3, -10}, 2, 2)));
  }

  @Override public boolean smooth() { return true; }
}
