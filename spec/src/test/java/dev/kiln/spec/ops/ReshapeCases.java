package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReshapeCases extends OpCases {
  @Override protected void define() {
    valid("static", List.of(t(F32, 2, 3, 4)), Attrs.of("shape", new long[] {6, 4}), t(F32, 6, 4));
    valid("infer", List.of(t(F32, 2, 3, 4)), Attrs.of("shape", new long[] {4, -1}), t(F32, 4, 6));
    valid("copy symbolic", List.of(t(F32, "batch", 3, 4)), Attrs.of("shape", new long[] {0, -1}), t(F32, "batch", 12));
    valid("infer symbolic", List.of(t(F32, "batch", 3, 4)), Attrs.of("shape", new long[] {-1, 12}), t(F32, "batch", 12));
    valid("to scalar", List.of(t(F32, 1, 1)), Attrs.of("shape", new long[0]), t(F32));
    invalid("count differs", List.of(t(F32, 2, 3)), Attrs.of("shape", new long[] {4, 2}), "6 elements");
    invalid("two -1", List.of(t(F32, 2, 3)), Attrs.of("shape", new long[] {-1, -1}), "more than one -1");
    invalid("indivisible", List.of(t(F32, 2, 3)), Attrs.of("shape", new long[] {4, -1}), "do not divide");
    onnxData("test_reshape_reordered_all_dims", new int[] {0},
        (g, in, data) -> g.apply("Reshape", in, Attrs.of("shape", data.get(1).toLongs())));
    onnxData("test_reshape_zero_and_negative_dim", new int[] {0},
        (g, in, data) -> g.apply("Reshape", in, Attrs.of("shape", data.get(1).toLongs())));
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)),
        op(Attrs.of("shape", new long[] {3, -1})), List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
