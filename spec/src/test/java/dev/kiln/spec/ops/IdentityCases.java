package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class IdentityCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("keeps type", List.of(t(F32, "batch", 2)), Attrs.EMPTY, t(F32, "batch", 2));
    invalid("two inputs", List.of(t(F32, 1), t(F32, 1)), Attrs.EMPTY, "takes 1 inputs");
    onnxData("test_identity", op(Attrs.EMPTY));
  }

  @Override public boolean smooth() { return true; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a constant", List.of(longs(1, 2)), Attrs.EMPTY, longs(1, 2));
    folds("a shape value", List.of(symShape("batch", 3)), Attrs.EMPTY, symShape("batch", 3));
    folds("a fill", List.of(fill(HostTensor.ofFloats(new float[] {0f}), "batch", 3)), Attrs.EMPTY,
        fill(HostTensor.ofFloats(new float[] {0f}), "batch", 3));
    declines("a run-time input", List.of(runTime(t(dev.kiln.spec.DType.F32, 2))), Attrs.EMPTY);
  }
}
