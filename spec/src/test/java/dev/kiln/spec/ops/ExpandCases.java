package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ExpandCases extends OpCases {
  @Override protected void define() {
    folding();
    Dim u = Dim.unknown();
    valid("x's dims above 1 stay", List.of(t(F32, 3, 1), t(I64, 2)), Attrs.EMPTY, t(F32, 3, u));
    valid("shape adds axes", List.of(t(F32, 4), t(I64, 3)), Attrs.EMPTY, t(F32, u, u, 4));
    valid("x has more axes", List.of(t(F32, 2, 1, 5), t(I64, 1)), Attrs.EMPTY, t(F32, 2, u, 5));
    invalid("f32 shape", List.of(t(F32, 3), t(F32, 1)), Attrs.EMPTY, "input shape must be i64");
    onnxData("test_expand_dim_changed", op(Attrs.EMPTY));
    onnxData("test_expand_dim_unchanged", op(Attrs.EMPTY));
    numeric("both ways", List.of(HostTensor.ofFloats(new float[] {1, 2, 3}, 3, 1), HostTensor.ofLongs(new long[] {1, 2}, 2)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 1, 2, 2, 3, 3}, 3, 2)));
  }

  @Override public boolean randomInputsValid() { return false; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a constant", List.of(known(HostTensor.ofFloats(new float[] {1, 2}, 2, 1)), longs(2, 3)), Attrs.EMPTY,
        known(HostTensor.ofFloats(new float[] {1, 1, 1, 2, 2, 2}, 2, 3)));
    folds("one element to a symbolic shape", List.of(known(HostTensor.ofFloats(new float[] {5}, 1)), symShape("batch", 3)), Attrs.EMPTY,
        fill(HostTensor.ofFloats(new float[] {5f}), "batch", 3));
    folds("a fill", List.of(fill(HostTensor.ofFloats(new float[] {0f}), 1, "batch", 16), longs(2, 1, 1)), Attrs.EMPTY,
        fill(HostTensor.ofFloats(new float[] {0f}), 2, "batch", 16));
    declines("batch against 4 (batch may be 1)", List.of(fill(HostTensor.ofFloats(new float[] {0f}), "batch"), longs(4)), Attrs.EMPTY);
    declines("a run-time input", List.of(runTime(t(F32, 2, 1)), longs(2, 3)), Attrs.EMPTY);
  }
}
