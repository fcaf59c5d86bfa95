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
    folding();
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

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("i64 constants", List.of(longs(5, 7), longs(2)), Attrs.EMPTY, longs(3, 5));
    folds("a symbol cancels itself", List.of(symDim("3*batch"), symDim("batch")), Attrs.EMPTY, symDim("2*batch"));
    folds("to a constant zero", List.of(symDim("batch"), symDim("batch")), Attrs.EMPTY, longScalar(0));
    folds("a symbol minus a number is unknown", List.of(symDim("batch"), longScalar(1)), Attrs.EMPTY, symDim("?"));
    declines("a run-time operand", List.of(runTime(t(dev.kiln.spec.DType.I64, 2)), longs(1, 2)), Attrs.EMPTY);
  }
}
