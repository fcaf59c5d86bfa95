package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AddCases extends OpCases {
  @Override protected void define() {
    valid("same shape", List.of(t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(F32, 2, 3));
    valid("broadcast row", List.of(t(F32, "batch", 3), t(F32, 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("broadcast both", List.of(t(F32, 4, 1), t(F32, 1, 5)), Attrs.EMPTY, t(F32, 4, 5));
    invalid("mismatch", List.of(t(F32, "batch", 64), t(F32, "batch", 32)), Attrs.EMPTY,
        "cannot broadcast [batch, 64] with [batch, 32] (axis 1: 64 vs 32)");
    invalid("dtypes differ", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    onnxData("test_add", op(Attrs.EMPTY));
    onnxData("test_add_bcast", op(Attrs.EMPTY));
  }

  @Override public boolean smooth() { return true; }
}
