package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class MulCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("broadcast both", List.of(t(F64, 4, 1), t(F64, 1, 5)), Attrs.EMPTY, t(F64, 4, 5));
    valid("symbolic", List.of(t(F32, "batch", 3), t(F32, "batch", 1)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("mismatch", List.of(t(F32, 3), t(F32, 4)), Attrs.EMPTY, "cannot broadcast [3] with [4]");
    invalid("dtypes differ", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    onnxData("test_mul", op(Attrs.EMPTY));
    onnxData("test_mul_bcast", op(Attrs.EMPTY));
    onnxData("test_mul_example", op(Attrs.EMPTY));
    onnxData("test_mul_uint8", op(Attrs.EMPTY));
    numeric("int64", List.of(HostTensor.ofLongs(new long[] {3, -4, 1L << 40}, 3), HostTensor.ofLongs(new long[] {-2, -5, 4}, 3)),
        op(Attrs.EMPTY), List.of(HostTensor.ofLongs(new long[] {-6, 20, 1L << 42}, 3)));
  }

  @Override public boolean smooth() { return true; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("f32 constants", List.of(known(HostTensor.ofFloats(new float[] {1.5f, 2}, 2)), known(HostTensor.ofFloats(new float[] {2}, 1))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {3, 4}, 2)));
    folds("a symbol times a number", List.of(symDim("batch"), longScalar(4)), Attrs.EMPTY, symDim("4*batch"));
    folds("a shape scaled", List.of(symShape("batch", 6), longs(2)), Attrs.EMPTY, symShape("2*batch", 12));
    folds("times zero is zero", List.of(symDim("batch"), longScalar(0)), Attrs.EMPTY, longScalar(0));
    folds("a product of symbols is unknown", List.of(symDim("batch"), symDim("seq")), Attrs.EMPTY, symDim("?"));
    declines("a run-time operand", List.of(runTime(t(F32, 2)), known(HostTensor.ofFloats(new float[] {1}, 1))), Attrs.EMPTY);
  }
}
