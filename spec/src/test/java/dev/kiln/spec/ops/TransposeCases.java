package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class TransposeCases extends OpCases {
  @Override protected void define() {
    valid("perm", List.of(t(F32, "batch", 3, 4)), Attrs.of("perm", new long[] {0, 2, 1}), t(F32, "batch", 4, 3));
    valid("default reverses", List.of(t(F32, 2, 3, 4)), Attrs.EMPTY, t(F32, 4, 3, 2));
    invalid("wrong length", List.of(t(F32, 2, 3)), Attrs.of("perm", new long[] {0, 1, 2}), "has 3 entries but input x");
    invalid("not a permutation", List.of(t(F32, 2, 3)), Attrs.of("perm", new long[] {0, 0}), "is not a permutation");
    long[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int i = 0; i < perms.length; i++) {
      onnxData("test_transpose_all_permutations_" + i, op(Attrs.of("perm", perms[i])));
    }
    onnxData("test_transpose_default", op(Attrs.EMPTY));
    numeric("2x3 by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 4, 2, 5, 3, 6}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
