package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class WhereCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("same shape", List.of(t(BOOL, 2, 3), t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(F32, 2, 3));
    valid("all broadcast", List.of(t(BOOL, "batch", 1), t(I64, 3), t(I64)), Attrs.EMPTY, t(I64, "batch", 3));
    invalid("cond not bool", List.of(t(F32, 2), t(F32, 2), t(F32, 2)), Attrs.EMPTY, "input cond must be bool");
    invalid("branches differ", List.of(t(BOOL, 2), t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    invalid("mismatch", List.of(t(BOOL, 2), t(F32, 3), t(F32, 3)), Attrs.EMPTY, "cannot broadcast");
    onnxData("test_where_example", op(Attrs.EMPTY));
    onnxData("test_where_long_example", op(Attrs.EMPTY));
    numeric("broadcast by hand", List.of(HostTensor.ofBooleans(new boolean[] {true, false}, 2, 1),
            HostTensor.ofFloats(new float[] {1, 2, 3}, 3), HostTensor.ofFloats(new float[] {-1}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 2, 3, -1, -1, -1}, 2, 3)));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    HostTensor cond = HostTensor.ofBooleans(new boolean[] {false, true}, 2);
    folds("constants", List.of(known(cond), known(HostTensor.ofFloats(new float[] {1}, 1)), known(HostTensor.ofFloats(new float[] {5, 6}, 2))),
        Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {5, 1}, 2)));
    folds("between shape values", List.of(known(cond), longs(1), symShape("batch", -1)), Attrs.EMPTY, symShape("batch", 1));
    declines("a run-time condition", List.of(runTime(t(dev.kiln.spec.DType.BOOL, 2)), longs(1), longs(2)), Attrs.EMPTY);
  }
}
