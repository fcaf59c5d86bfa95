package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConcatCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("channels", List.of(t(F32, "batch", 3, 8), t(F32, "batch", 5, 8)), Attrs.of("axis", 1), t(F32, "batch", 8, 8));
    valid("three, negative axis", List.of(t(F32, 2, 1), t(F32, 2, 2), t(F32, 2, 3)), Attrs.of("axis", -1), t(F32, 2, 6));
    valid("dynamic axis", List.of(t(F32, "batch", 2), t(F32, 4, 2)), Attrs.of("axis", 0), t(F32, dev.kiln.spec.Dim.unknown(), 2));
    invalid("other dim differs", List.of(t(F32, 2, 3), t(F32, 4, 5)), Attrs.of("axis", 0), "differs from input 0 [2, 3] on axis 1");
    invalid("rank differs", List.of(t(F32, 2, 3), t(F32, 2)), Attrs.of("axis", 0), "has rank 1 but input 0");
    invalid("dtype differs", List.of(t(F32, 2), t(I64, 2)), Attrs.of("axis", 0), "dtype");
    invalid("axis out of range", List.of(t(F32, 2), t(F32, 2)), Attrs.of("axis", 1), "axis 1 is out of range for rank 1");
    invalid("no axis", List.of(t(F32, 2), t(F32, 2)), Attrs.EMPTY, "missing required attribute 'axis'");
    String[][] data = {{"1d_axis_0", "0"}, {"1d_axis_negative_1", "-1"}, {"2d_axis_0", "0"}, {"2d_axis_1", "1"},
        {"2d_axis_negative_1", "-1"}, {"2d_axis_negative_2", "-2"}, {"3d_axis_0", "0"}, {"3d_axis_1", "1"},
        {"3d_axis_2", "2"}, {"3d_axis_negative_1", "-1"}, {"3d_axis_negative_2", "-2"}, {"3d_axis_negative_3", "-3"}};
    for (String[] d : data) onnxData("test_concat_" + d[0], op(Attrs.of("axis", Long.parseLong(d[1]))));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("constants along axis 1", List.of(known(HostTensor.ofFloats(new float[] {1, 2}, 2, 1)), known(HostTensor.ofFloats(new float[] {3, 4, 5, 6}, 2, 2))),
        Attrs.of("axis", 1L), known(HostTensor.ofFloats(new float[] {1, 3, 4, 2, 5, 6}, 2, 3)));
    folds("a shape value and a constant", List.of(symShape("batch"), longs(-1)), Attrs.of("axis", 0L), symShape("batch", -1));
    declines("a run-time part", List.of(symShape("batch"), runTime(t(dev.kiln.spec.DType.I64, 1))), Attrs.of("axis", 0L));
  }
}
