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
    folding();
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

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("constants", List.of(longs(1, 2, 3), longs(2)), Attrs.EMPTY, known(HostTensor.ofBooleans(new boolean[] {false, true, false}, 3)));
    folds("a size is never -1", List.of(symShape("batch", 3), longs(-1)), Attrs.EMPTY, known(HostTensor.ofBooleans(new boolean[] {false, false}, 2)));
    folds("a symbol equals itself", List.of(symDim("batch"), symDim("batch")), Attrs.EMPTY, known(HostTensor.ofBooleans(new boolean[] {true})));
    declines("batch may be 1", List.of(symShape("batch"), longs(1)), Attrs.EMPTY);
    declines("a run-time operand", List.of(runTime(t(dev.kiln.spec.DType.I64, 2)), longs(1)), Attrs.EMPTY);
  }
}
