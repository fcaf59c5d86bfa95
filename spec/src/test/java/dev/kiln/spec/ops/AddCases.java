package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AddCases extends OpCases {
  @Override protected void define() {
    folding();
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

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("i64 constants", List.of(longs(1, 2), longs(40)), Attrs.EMPTY, longs(41, 42));
    folds("f32 constants", List.of(known(HostTensor.ofFloats(new float[] {1, 2}, 2)), known(HostTensor.ofFloats(new float[] {0.5f}, 1))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {1.5f, 2.5f}, 2)));
    folds("symbols add up", List.of(symDim("2*batch"), symDim("batch")), Attrs.EMPTY, symDim("3*batch"));
    folds("static entries of a shape", List.of(symShape("batch", 3), longs(0, 1)), Attrs.EMPTY, symShape("batch", 4));
    folds("a symbol plus a number is unknown", List.of(symDim("batch"), longScalar(1)), Attrs.EMPTY, symDim("?"));
    declines("f16 is left to the runtime", List.of(known(HostTensor.filled(dev.kiln.spec.DType.F16, new long[] {2}, 1)),
        known(HostTensor.filled(dev.kiln.spec.DType.F16, new long[] {2}, 1))), Attrs.EMPTY);
    declines("a run-time operand", List.of(runTime(t(F32, 2)), known(HostTensor.ofFloats(new float[] {1, 2}, 2))), Attrs.EMPTY);
    foldFails("the type rule runs first", List.of(known(HostTensor.ofFloats(new float[] {1}, 1)), longs(1)), Attrs.EMPTY, "dtype");
  }
}
