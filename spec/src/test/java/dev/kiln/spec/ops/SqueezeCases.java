package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SqueezeCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("named axis", List.of(t(F32, "batch", 1, 4)), Attrs.of("axes", new long[] {1}), t(F32, "batch", 4));
    valid("all ones", List.of(t(F32, 1, 3, 1)), Attrs.EMPTY, t(F32, 3));
    valid("negative", List.of(t(F32, 2, 1)), Attrs.of("axes", new long[] {-1}), t(F32, 2));
    invalid("not one", List.of(t(F32, 2, 3)), Attrs.of("axes", new long[] {1}), "has size 3, expected 1");
    invalid("no axes, dynamic", List.of(t(F32, "batch", 1)), Attrs.EMPTY, "without axes every dim must be static");
    invalid("repeated", List.of(t(F32, 1, 3)), Attrs.of("axes", new long[] {0, -2}), "repeat axis 0");
    for (String test : List.of("test_squeeze", "test_squeeze_negative_axes")) {
      onnxData(test, new int[] {0}, (g, in, data) -> List.of(Ops.squeeze(g, in.get(0), data.get(1).toLongs())));
    }
    numeric("all ones by hand", List.of(HostTensor.ofFloats(new float[] {1, 2}, 1, 2, 1)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 2}, 2)));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a one-entry shape to a scalar entry", List.of(symShape("batch")), Attrs.of("axes", new long[] {0}), symDim("batch"));
    folds("a constant", List.of(known(HostTensor.ofFloats(new float[] {1, 2}, 1, 2))), Attrs.EMPTY,
        known(HostTensor.ofFloats(new float[] {1, 2}, 2)));
    declines("a run-time input", List.of(runTime(t(F32, 1, 3))), Attrs.EMPTY);
  }
}
