package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class MatMulCases extends OpCases {
  @Override protected void define() {
    valid("2d", List.of(t(F32, "batch", 784), t(F32, 784, 256)), Attrs.EMPTY, t(F32, "batch", 256));
    valid("batched broadcast", List.of(t(F32, 5, 1, 2, 3), t(F32, 4, 3, 7)), Attrs.EMPTY, t(F32, 5, 4, 2, 7));
    valid("vector right", List.of(t(F32, 2, 3), t(F32, 3)), Attrs.EMPTY, t(F32, 2));
    valid("vector left", List.of(t(F32, 3), t(F32, 3, 4)), Attrs.EMPTY, t(F32, 4));
    invalid("inner mismatch", List.of(t(F32, 2, 3), t(F32, 4, 5)), Attrs.EMPTY, "inner dimensions differ");
    invalid("scalar", List.of(t(F32), t(F32, 3)), Attrs.EMPTY, "rank >= 1");
    onnxData("test_matmul_2d", op(Attrs.EMPTY));
    onnxData("test_matmul_3d", op(Attrs.EMPTY));
    onnxData("test_matmul_4d", op(Attrs.EMPTY));
  }

  @Override public boolean smooth() { return true; }
}
