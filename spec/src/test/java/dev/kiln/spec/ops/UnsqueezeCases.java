package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class UnsqueezeCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("front", List.of(t(F32, "batch", 4)), Attrs.of("axes", new long[] {0}), t(F32, 1, "batch", 4));
    valid("end, negative", List.of(t(F32, 3)), Attrs.of("axes", new long[] {-1}), t(F32, 3, 1));
    valid("unsorted", List.of(t(F32, 3, 4, 5)), Attrs.of("axes", new long[] {5, 4, 2}), t(F32, 3, 4, 1, 5, 1, 1));
    invalid("out of range", List.of(t(F32, 3)), Attrs.of("axes", new long[] {2}), "out of range for output rank 2");
    invalid("repeated", List.of(t(F32, 3)), Attrs.of("axes", new long[] {0, -3}), "repeat output axis 0");
    for (String s : List.of("axis_0", "axis_1", "axis_2", "negative_axes", "three_axes", "two_axes", "unsorted_axes")) {
      onnxData("test_unsqueeze_" + s, new int[] {0},
          (g, in, data) -> List.of(Ops.unsqueeze(g, in.get(0), data.get(1).toLongs())));
    }
    // test_unsqueeze_axis_3 is an opset-11 model with axes as an attribute.
    onnxData("test_unsqueeze_axis_3", op(Attrs.of("axes", new long[] {3})));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a scalar entry to a one-entry shape", List.of(symDim("batch")), Attrs.of("axes", new long[] {0}), symShape("batch"));
    folds("a constant", List.of(longScalar(7)), Attrs.of("axes", new long[] {0}), longs(7));
    folds("a fill", List.of(fill(HostTensor.ofFloats(new float[] {0f}), "batch", 16)), Attrs.of("axes", new long[] {0}),
        fill(HostTensor.ofFloats(new float[] {0f}), 1, "batch", 16));
    declines("a shape value to rank 2", List.of(symShape("batch")), Attrs.of("axes", new long[] {0}));
    declines("a run-time input", List.of(runTime(t(dev.kiln.spec.DType.F32, 3))), Attrs.of("axes", new long[] {0}));
  }
}
