package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReduceProdCases extends OpCases {
  private static final HostTensor X = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

  @Override protected void define() {
    folding();
    valid("one axis keepdims", List.of(t(F32, "batch", 4, 5)), Attrs.of("axes", new long[] {1}), t(F32, "batch", 1, 5));
    valid("negative axis dropped", List.of(t(F32, "batch", 4, 5)), Attrs.of("axes", new long[] {-1}, "keepdims", false), t(F32, "batch", 4));
    valid("all axes kept", List.of(t(I32, 2, 3)), Attrs.EMPTY, t(I32, 1, 1));
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axes", new long[] {-3}), "axis -3 in axes [-3] is out of range for rank 2");
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_reduce_prod_default_axes_keepdims_example", op(Attrs.EMPTY));
    onnxData("test_reduce_prod_default_axes_keepdims_random", op(Attrs.EMPTY));
    onnxData("test_reduce_prod_do_not_keepdims_example", op(Attrs.of("axes", new long[] {1}, "keepdims", false)));
    onnxData("test_reduce_prod_do_not_keepdims_random", op(Attrs.of("axes", new long[] {1}, "keepdims", false)));
    onnxData("test_reduce_prod_keepdims_example", op(Attrs.of("axes", new long[] {1})));
    onnxData("test_reduce_prod_keepdims_random", op(Attrs.of("axes", new long[] {1})));
    onnxData("test_reduce_prod_negative_axes_keepdims_example", op(Attrs.of("axes", new long[] {-2})));
    onnxData("test_reduce_prod_negative_axes_keepdims_random", op(Attrs.of("axes", new long[] {-2})));
    numeric("axis 0 kept", List.of(X), op(Attrs.of("axes", new long[] {0})), List.of(HostTensor.ofFloats(new float[] {4, 10, 18}, 1, 3)));
    numeric("all axes dropped", List.of(X), op(Attrs.of("keepdims", false)), List.of(HostTensor.ofFloats(new float[] {720})));
    numeric("int32 axis 1", List.of(HostTensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3)),
        op(Attrs.of("axes", new long[] {1}, "keepdims", false)), List.of(HostTensor.ofInts(new int[] {6, 120}, 2)));
  }

  @Override public boolean smooth() { return true; }

  /** Away from 0, where the gradient y / x is undefined (see ReduceProd's NOTE). */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 1.5}; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("integer constants over an axis", List.of(known(HostTensor.ofLongs(new long[] {1, 2, 3, 4}, 2, 2))),
        Attrs.of("axes", new long[] {1}, "keepdims", false), longs(2, 12));
    folds("the size of a shape", List.of(symShape("batch", 3, 4)), Attrs.of("keepdims", false), symDim("12*batch"));
    folds("kept as one entry", List.of(symShape("batch", 3, 4)), Attrs.EMPTY, symShape("12*batch"));
    declines("floats (rounding depends on the order)", List.of(known(HostTensor.ofFloats(new float[] {1, 2}, 2))), Attrs.EMPTY);
    declines("a run-time input", List.of(runTime(t(dev.kiln.spec.DType.I64, 3))), Attrs.EMPTY);
  }
}
