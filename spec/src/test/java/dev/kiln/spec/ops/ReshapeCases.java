package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReshapeCases extends OpCases {
  private static Attrs shape(long... s) { return Attrs.of("shape", s); }

  @Override protected void define() {
    folding();
    valid("static", List.of(t(F32, 2, 3, 4)), shape(4, 6), t(F32, 4, 6));
    valid("infer -1", List.of(t(F32, 2, 3, 4)), shape(2, -1, 2), t(F32, 2, 6, 2));
    valid("0 copies", List.of(t(F32, 2, 3, 4)), shape(2, 0, 4, 1), t(F32, 2, 3, 4, 1));
    valid("0 keeps batch", List.of(t(F32, "batch", 8, 4)), shape(0, 32), t(F32, "batch", 32));
    valid("-1 becomes batch", List.of(t(F32, "batch", 4, 8)), shape(-1, 32), t(F32, "batch", 32));
    valid("-1 with batch left over", List.of(t(F32, "batch", 4, 8)), shape(-1, 8), t(F32, Dim.unknown(), 8));
    valid("0 and -1 with batch", List.of(t(F32, "batch", 2, 3)), shape(0, -1), t(F32, "batch", 6));
    invalid("count mismatch", List.of(t(F32, 2, 3, 4)), shape(5, 5), "cannot reshape [2, 3, 4] (24 elements)");
    invalid("does not divide", List.of(t(F32, 2, 3, 4)), shape(-1, 5), "do not divide by 5");
    invalid("two -1", List.of(t(F32, 2, 3, 4)), shape(-1, -1), "more than one -1");
    invalid("0 past rank", List.of(t(F32, 24)), shape(1, 0), "has 0 at position 1");
    invalid("below -1", List.of(t(F32, 24)), shape(-2, 12), "must be >= -1");
    for (String test : List.of("extended_dims", "negative_dim", "negative_extended_dims", "one_dim", "reduced_dims",
        "reordered_all_dims", "reordered_last_dims", "zero_and_negative_dim", "zero_dim")) {
      onnxData("test_reshape_" + test, new int[] {0},
          (g, in, data) -> List.of(Ops.reshape(g, in.get(0), shape(data.get(1).toLongs()))));
    }
    // test_reshape_allowzero_reordered is skipped: it needs allowzero=1 (0 as a real size), which the IR
    // does not model (0 always copies the input dim).
    numeric("0 and -1 by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3)),
        op(shape(0, -1)), List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 1, 6)));
  }

  @Override public boolean smooth() { return true; }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a constant keeps its bytes", List.of(known(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 6))), shape(2, -1),
        known(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
    folds("a shape value stays 1-D", List.of(symDim("batch")), shape(1), symShape("batch"));
    folds("a fill takes the new shape", List.of(fill(HostTensor.ofFloats(new float[] {0f}), 2, "batch")), shape(0, 1, -1),
        fill(HostTensor.ofFloats(new float[] {0f}), 2, 1, "batch"));
    declines("a shape value to rank 2", List.of(symShape("batch", 3)), shape(1, 2));
    declines("a run-time input", List.of(runTime(t(F32, 6))), shape(2, 3));
  }
}
