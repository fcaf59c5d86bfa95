package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.U8;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class NegCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("integers", List.of(t(I32, 2)), Attrs.EMPTY, t(I32, 2));
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    invalid("unsigned input", List.of(t(U8, 2)), Attrs.EMPTY, "float or signed integer");
    onnxData("test_neg", op(Attrs.EMPTY));
    onnxData("test_neg_example", op(Attrs.EMPTY));
    numeric("int32", List.of(HostTensor.ofInts(new int[] {-3, 0, 7}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofInts(new int[] {3, 0, -7}, 3)));
  }

  @Override public boolean smooth() { return true; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("f32 signs, zero included", List.of(known(HostTensor.ofFloats(new float[] {0, -2}, 2))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {-0f, 2}, 2)));
    folds("the smallest long wraps to itself", List.of(longs(Long.MIN_VALUE, 3)), Attrs.EMPTY, longs(Long.MIN_VALUE, -3));
    folds("a symbol negated", List.of(symDim("batch")), Attrs.EMPTY, symDim("-1*batch"));
    declines("f16 is left to the runtime", List.of(known(HostTensor.filled(dev.kiln.spec.DType.F16, new long[] {2}, 1))), Attrs.EMPTY);
    declines("a run-time input", List.of(runTime(t(F32, 2))), Attrs.EMPTY);
  }
}
