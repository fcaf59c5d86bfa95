package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class TransposeCases extends OpCases {
  @Override protected void define() {
    valid("default reverses", List.of(t(F32, 2, 3, 4)), Attrs.EMPTY, t(F32, 4, 3, 2));
    valid("perm", List.of(t(F32, "batch", 3, 4)), Attrs.of("perm", new long[] {1, 2, 0}), t(F32, 3, 4, "batch"));
    invalid("not a permutation", List.of(t(F32, 2, 3)), Attrs.of("perm", new long[] {0, 0}), "not a permutation");
    invalid("wrong length", List.of(t(F32, 2, 3)), Attrs.of("perm", new long[] {0}), "expected 2");
    onnxData("test_transpose_default", op(Attrs.EMPTY));
    // ONNX generates these as itertools.permutations(range(3)) in order: case 3 is (1, 2, 0).
    onnxData("test_transpose_all_permutations_3", op(Attrs.of("perm", new long[] {1, 2, 0})));
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 4, 2, 5, 3, 6}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
