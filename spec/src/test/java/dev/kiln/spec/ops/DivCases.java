package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DivCases extends OpCases {
  @Override protected void define() {
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
}
