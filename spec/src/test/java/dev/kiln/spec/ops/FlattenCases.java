package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class FlattenCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("default axis", List.of(t(F32, "batch", 3, 4, 5)), Attrs.EMPTY, t(F32, "batch", 60));
    valid("axis 0", List.of(t(F32, 2, 3)), Attrs.of("axis", 0), t(F32, 1, 6));
    valid("axis = rank", List.of(t(F32, 2, 3)), Attrs.of("axis", 2), t(F32, 6, 1));
    valid("negative", List.of(t(F32, 2, 3, 4)), Attrs.of("axis", -1), t(F32, 6, 4));
    valid("symbol mixed with sizes", List.of(t(F32, "batch", 3, 4)), Attrs.of("axis", 2), t(F32, dev.kiln.spec.Dim.unknown(), 4));
    invalid("axis too big", List.of(t(F32, 2, 3)), Attrs.of("axis", 3), "axis 3 is out of range [-2, 2]");
    for (String a : List.of("axis0", "axis1", "axis2", "axis3", "default_axis", "negative_axis1", "negative_axis2",
        "negative_axis3", "negative_axis4")) {
      long axis = a.equals("default_axis") ? 1 : Long.parseLong(a.replaceAll("[^0-9]", "")) * (a.startsWith("negative") ? -1 : 1);
      onnxData("test_flatten_" + a, op(Attrs.of("axis", axis)));
    }
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a constant", List.of(known(HostTensor.ofFloats(new float[24], 2, 3, 4))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[24], 2, 12)));
    folds("a fill", List.of(fill(HostTensor.ofFloats(new float[] {1f}), "batch", 3, 4)), Attrs.EMPTY,
        fill(HostTensor.ofFloats(new float[] {1f}), "batch", 12));
    declines("a shape value (rank 2 out)", List.of(symShape("batch", 3)), Attrs.EMPTY);
    declines("a run-time input", List.of(runTime(t(dev.kiln.spec.DType.F32, 2, 3))), Attrs.EMPTY);
  }
}
