package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GatherCases extends OpCases {
  @Override protected void define() {
    folding();
    // The axis picked from has >= 16 entries so that the random indices of the TF-vs-ORT check stay in range.
    valid("embedding lookup", List.of(t(F32, 16, 4), t(I64, "batch", 5)), Attrs.EMPTY, t(F32, "batch", 5, 4));
    valid("axis 1, i32", List.of(t(F32, 2, 16, 3), t(I32, 4)), Attrs.of("axis", 1L), t(F32, 2, 4, 3));
    valid("scalar index", List.of(t(F32, 16, 3), t(I64)), Attrs.EMPTY, t(F32, 3));
    valid("negative axis, 2-d indices", List.of(t(F64, 3, 16), t(I64, 2, 2)), Attrs.of("axis", -1L), t(F64, 3, 2, 2));
    valid("integer data", List.of(t(I64, 16), t(I64, 2)), Attrs.EMPTY, t(I64, 2));
    invalid("float indices", List.of(t(F32, 4, 2), t(F32, 3)), Attrs.EMPTY, "input indices must be i32 or i64");
    invalid("axis out of range", List.of(t(F32, 4, 2), t(I64, 3)), Attrs.of("axis", 2L), "axis 2 is out of range [-2, 1]");
    invalid("scalar data", List.of(t(F32), t(I64, 3)), Attrs.EMPTY, "input data must have rank >= 1");
    onnxData("test_gather_0", op(Attrs.of("axis", 0L)));
    onnxData("test_gather_1", op(Attrs.of("axis", 1L)));
    onnxData("test_gather_2d_indices", op(Attrs.of("axis", 1L)));
    onnxData("test_gather_negative_indices", op(Attrs.of("axis", 0L)));
    HostTensor table = HostTensor.ofFloats(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
    numeric("rows, repeated and negative", List.of(table, HostTensor.ofLongs(new long[] {2, 0, 2, -1}, 2, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {20, 21, 0, 1, 20, 21, 20, 21}, 2, 2, 2)));
    numeric("columns, i32", List.of(table, HostTensor.ofInts(new int[] {1, -2, 1}, 3)), op(Attrs.of("axis", 1L)),
        List.of(HostTensor.ofFloats(new float[] {1, 0, 1, 11, 10, 11, 21, 20, 21}, 3, 3)));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    HostTensor rows = HostTensor.ofFloats(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
    folds("constant rows", List.of(known(rows), longs(2, -3)), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {20, 21, 0, 1}, 2, 2)));
    folds("constant columns", List.of(known(rows), longScalar(1)), Attrs.of("axis", 1L), known(HostTensor.ofFloats(new float[] {1, 11, 21}, 3)));
    folds("one entry of a shape", List.of(symShape("batch", 64, 7, 7), longScalar(0)), Attrs.EMPTY, symDim("batch"));
    folds("entries of a shape", List.of(symShape("batch", 64, 7, 7), longs(0, 2)), Attrs.EMPTY, symShape("batch", 7));
    folds("a static entry is a constant", List.of(symShape("batch", 64, 7, 7), longScalar(-1)), Attrs.EMPTY, longScalar(7));
    foldFails("an index out of range", List.of(symShape("batch", 64), longScalar(2)), Attrs.EMPTY, "out of range");
    declines("run-time indices", List.of(symShape("batch", 64), runTime(t(I64))), Attrs.EMPTY);
    declines("run-time data", List.of(runTime(t(F32, 16, 4)), longs(1)), Attrs.EMPTY);
  }
}
