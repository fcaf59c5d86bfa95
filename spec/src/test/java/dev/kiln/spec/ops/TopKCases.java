package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class TopKCases extends OpCases {
  @Override protected void define() {
    valid("last axis", List.of(t(F32, "batch", 6)), Attrs.of("k", 2L), t(F32, "batch", 2), t(I64, "batch", 2));
    valid("axis 0, smallest", List.of(t(F64, 5, 3)), Attrs.of("k", 3L, "axis", 0L, "largest", false), t(F64, 3, 3), t(I64, 3, 3));
    valid("integers, middle axis", List.of(t(I64, 2, 4, 3)), Attrs.of("k", 4L, "axis", 1L), t(I64, 2, 4, 3), t(I64, 2, 4, 3));
    invalid("k too large", List.of(t(F32, 2, 3)), Attrs.of("k", 4L), "attribute k 4 must be in [0, 3]");
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axis", 2L), "attribute axis 2 is out of range");
    invalid("bool x", List.of(t(BOOL, 3)), Attrs.EMPTY, "must be numeric");
    invalid("k input of 2 values", List.of(t(F32, 3), t(I64, 2)), Attrs.EMPTY, "input k must be an i64 or i32 scalar or [1] vector");
    onnxData("test_top_k", op(Attrs.of("axis", 1L)));
    onnxData("test_top_k_negative_axis", op(Attrs.of("axis", -1L)));
    onnxData("test_top_k_smallest", op(Attrs.of("axis", 1L, "largest", false)));
    onnxData("test_top_k_smallest", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axis", 1L, "largest", false, "k", data.get(1).getLong(0))));
    HostTensor x = HostTensor.ofFloats(new float[] {3, 1, 3, 2, 5, 0}, 2, 3);
    // Ties keep the lower index first.
    numeric("largest 2 per row", List.of(x), op(Attrs.of("k", 2L)),
        List.of(HostTensor.ofFloats(new float[] {3, 3, 5, 2}, 2, 2), HostTensor.ofLongs(new long[] {0, 2, 1, 0}, 2, 2)));
    numeric("smallest 1 per column", List.of(x), op(Attrs.of("k", 1L, "axis", 0L, "largest", false)),
        List.of(HostTensor.ofFloats(new float[] {2, 1, 0}, 1, 3), HostTensor.ofLongs(new long[] {1, 0, 1}, 1, 3)));
  }
}
