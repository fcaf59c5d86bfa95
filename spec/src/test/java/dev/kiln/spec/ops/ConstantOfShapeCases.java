package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConstantOfShapeCases extends OpCases {
  private static Attrs value(HostTensor v) { return Attrs.of("value", v); }

  @Override protected void define() {
    folding();
    Dim u = Dim.unknown();
    valid("default f32 zeros", List.of(t(I64, 2)), Attrs.EMPTY, t(dev.kiln.spec.DType.F32, u, u));
    valid("i32 value", List.of(t(I64, 3)), value(HostTensor.ofInts(new int[] {5}, 1)), t(I32, u, u, u));
    invalid("two values", List.of(t(I64, 1)), value(HostTensor.ofInts(new int[] {1, 2}, 2)), "value must hold one element");
    invalid("2-D shape", List.of(t(I64, 1, 2)), Attrs.EMPTY, "input shape must be 1-D");
    onnxData("test_constantofshape_float_ones", op(value(HostTensor.ofFloats(new float[] {1}, 1))));
    onnxData("test_constantofshape_int_zeros", op(value(HostTensor.ofInts(new int[] {0}, 1))));
    onnxData("test_constantofshape_int_shape_zero", op(value(HostTensor.ofInts(new int[] {0}, 1))));
    numeric("i64 sevens", List.of(HostTensor.ofLongs(new long[] {2, 1}, 2)), op(value(HostTensor.ofLongs(new long[] {7}, 1))),
        List.of(HostTensor.ofLongs(new long[] {7, 7}, 2, 1)));
  }

  @Override public boolean randomInputsValid() { return false; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    long m = Long.MAX_VALUE;
    folds("a constant shape (i64 exact)", List.of(longs(2, 3)), Attrs.of("value", HostTensor.ofLongs(new long[] {m}, 1)),
        known(HostTensor.ofLongs(new long[] {m, m, m, m, m, m}, 2, 3)));
    folds("a symbolic shape", List.of(symShape(2, "batch", 16)), Attrs.EMPTY, fill(HostTensor.ofFloats(new float[] {0f}), 2, "batch", 16));
    folds("too large to hold stays a fill", List.of(longs(2000, 1000)), Attrs.EMPTY, new dev.kiln.spec.op.Folded.Fill(HostTensor.ofFloats(new float[] {0f}), syms(2000, 1000)));
    foldFails("a negative entry", List.of(longs(-1)), Attrs.EMPTY, "shape entries must be >= 0");
    declines("an unknown entry", List.of(symShape("?")), Attrs.EMPTY);
    declines("a run-time shape", List.of(runTime(t(dev.kiln.spec.DType.I64, 2))), Attrs.EMPTY);
  }
}
