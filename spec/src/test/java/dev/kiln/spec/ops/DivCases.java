package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DivCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("broadcast", List.of(t(F32, "batch", 3), t(F32, 1)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("mismatch", List.of(t(F32, 2, 3), t(F32, 3, 2)), Attrs.EMPTY, "cannot broadcast");
    invalid("dtypes differ", List.of(t(F32, 2), t(I32, 2)), Attrs.EMPTY, "dtype");
    onnxData("test_div", op(Attrs.EMPTY));
    onnxData("test_div_bcast", op(Attrs.EMPTY));
    onnxData("test_div_example", op(Attrs.EMPTY));
    onnxData("test_div_uint8", op(Attrs.EMPTY));
    // Integer division truncates toward zero (not floor): -7 / 2 = -3.
    numeric("int32 truncates", List.of(HostTensor.ofInts(new int[] {7, -7, 7, -7}, 4), HostTensor.ofInts(new int[] {2, 2, -2, -2}, 4)),
        op(Attrs.EMPTY), List.of(HostTensor.ofInts(new int[] {3, -3, -3, 3}, 4)));
  }

  @Override public boolean smooth() { return true; }

  /** Draws inputs from [0.5, 2]: keeps the divisor b away from 0 (a shares the range). */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 2}; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("integers truncate toward zero", List.of(longs(7, -7), longs(2)), Attrs.EMPTY, longs(3, -3));
    folds("f32 by zero is IEEE", List.of(known(HostTensor.ofFloats(new float[] {1, -1}, 2)), known(HostTensor.ofFloats(new float[] {0}, 1))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2)));
    folds("a multiple divided exactly", List.of(symDim("4*batch"), longScalar(4)), Attrs.EMPTY, symDim("batch"));
    folds("a symbol that may not divide is unknown", List.of(symDim("batch"), longScalar(2)), Attrs.EMPTY, symDim("?"));
    declines("integer division by zero", List.of(longs(1), longs(0)), Attrs.EMPTY);
    declines("the smallest long by -1 overflows", List.of(longs(Long.MIN_VALUE), longs(-1)), Attrs.EMPTY);
    declines("a symbol by zero", List.of(symDim("batch"), longScalar(0)), Attrs.EMPTY);
    declines("a run-time operand", List.of(runTime(t(dev.kiln.spec.DType.I64)), longScalar(2)), Attrs.EMPTY);
  }
}
