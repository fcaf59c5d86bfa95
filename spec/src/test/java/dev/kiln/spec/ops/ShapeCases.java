package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ShapeCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("static", List.of(t(F32, 2, 3, 4)), Attrs.EMPTY, t(I64, 3));
    valid("symbolic", List.of(t(F32, "batch", 7)), Attrs.EMPTY, t(I64, 2));
    valid("scalar", List.of(t(F32)), Attrs.EMPTY, t(I64, 0));
    invalid("two inputs", List.of(t(F32, 2), t(F32, 2)), Attrs.EMPTY, "takes 1 inputs");
    onnxData("test_shape", op(Attrs.EMPTY));
    onnxData("test_shape_example", op(Attrs.EMPTY));
    numeric("rank 3", List.of(HostTensor.ofFloats(new float[6], 1, 3, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {1, 3, 2}, 3)));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("static dims of a run-time value", List.of(runTime(t(F32, 2, 3))), Attrs.EMPTY, longs(2, 3));
    folds("a symbolic batch", List.of(runTime(t(F32, "batch", 64, 7, 7))), Attrs.EMPTY, symShape("batch", 64, 7, 7));
    folds("a constant", List.of(known(HostTensor.ofFloats(new float[6], 1, 3, 2))), Attrs.EMPTY, longs(1, 3, 2));
    folds("a fill keeps its multiples", List.of(fill(HostTensor.ofFloats(new float[] {0f}), "4*batch", 3)), Attrs.EMPTY,
        symShape("4*batch", 3));
    folds("a scalar", List.of(runTime(t(F32))), Attrs.EMPTY, longs());
  }
}
