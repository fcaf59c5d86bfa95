package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SplitCases extends OpCases {
  @Override protected void define() {
    valid("sizes on the last axis", List.of(t(F32, "batch", 10)), Attrs.of("axis", -1L, "split", new long[] {2, 3, 5}),
        t(F32, "batch", 2), t(F32, "batch", 3), t(F32, "batch", 5));
    valid("equal parts", List.of(t(F64, 6, 4)), Attrs.of("outputs", 3L), t(F64, 2, 4), t(F64, 2, 4), t(F64, 2, 4));
    valid("equal parts, last smaller", List.of(t(I64, 3, 7)), Attrs.of("axis", 1L, "outputs", 3L),
        t(I64, 3, 3), t(I64, 3, 3), t(I64, 3, 1));
    valid("one piece, outputs given too", List.of(t(F32, 4, "n")), Attrs.of("split", new long[] {4}, "outputs", 1L), t(F32, 4, "n"));
    valid("zero-size piece", List.of(t(F32, 4)), Attrs.of("split", new long[] {0, 4}), t(F32, 0), t(F32, 4));
    invalid("sizes do not add up", List.of(t(F32, 2, 6)), Attrs.of("axis", 1L, "split", new long[] {2, 3}),
        "split sizes [2, 3] add up to 5, expected 6");
    invalid("negative size", List.of(t(F32, 6)), Attrs.of("split", new long[] {-1, 7}), "split sizes must be >= 0");
    invalid("dynamic axis", List.of(t(F32, "batch", 6)), Attrs.of("split", new long[] {1, 1}), "must have a static size");
    invalid("axis out of range", List.of(t(F32, 6)), Attrs.of("axis", 1L, "outputs", 2L), "axis 1 is out of range for rank 1");
    invalid("neither sizes nor count", List.of(t(F32, 6)), Attrs.EMPTY, "attribute outputs must be >= 1 when split is empty");
    invalid("count differs from sizes", List.of(t(F32, 6)), Attrs.of("split", new long[] {3, 3}, "outputs", 3L),
        "attribute outputs 3 differs from the 2 sizes");
    invalid("scalar", List.of(t(F32)), Attrs.of("outputs", 1L), "must have rank >= 1");
    // The output counts below are those of the test models' Split nodes.
    onnxData("test_split_equal_parts_1d", op(Attrs.of("axis", 0L, "outputs", 3L)));
    onnxData("test_split_equal_parts_2d", op(Attrs.of("axis", 1L, "outputs", 2L)));
    onnxData("test_split_equal_parts_default_axis", op(Attrs.of("outputs", 3L)));
    for (String[] c : new String[][] {{"test_split_variable_parts_1d", "0"}, {"test_split_variable_parts_2d", "1"},
        {"test_split_variable_parts_default_axis", "0"}}) {
      onnxData(c[0], new int[] {0}, (g, in, data) ->
          g.apply(theOp(), in, Attrs.of("axis", Long.parseLong(c[1]), "split", data.get(1).toLongs())));
    }
    onnxData("test_split_zero_size_splits", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("split", data.get(1).toLongs())));
    HostTensor x = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5);
    numeric("columns 1 + 4", List.of(x), op(Attrs.of("axis", 1L, "split", new long[] {1, 4})),
        List.of(HostTensor.ofFloats(new float[] {1, 6}, 2, 1), HostTensor.ofFloats(new float[] {2, 3, 4, 5, 7, 8, 9, 10}, 2, 4)));
    numeric("rows, equal parts", List.of(x), op(Attrs.of("axis", -2L, "outputs", 2L)),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5}, 1, 5), HostTensor.ofFloats(new float[] {6, 7, 8, 9, 10}, 1, 5)));
    numeric("5 columns in 2 (3 + 2)", List.of(x), op(Attrs.of("axis", 1L, "outputs", 2L)),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 6, 7, 8}, 2, 3), HostTensor.ofFloats(new float[] {4, 5, 9, 10}, 2, 2)));
  }

  /** Split only moves values: its second derivative is zero, and finite differences see that exactly. */
  @Override public boolean smooth() { return true; }
}
