package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ArgMaxCases extends OpCases {
  @Override protected void define() {
    valid("default: last axis dropped", List.of(t(F32, "batch", 10)), Attrs.EMPTY, t(I64, "batch"));
    valid("axis 0 kept", List.of(t(I32, 2, 3)), Attrs.of("axis", 0L, "keepdims", true), t(I64, 1, 3));
    valid("vector to scalar", List.of(t(F32, 5)), Attrs.EMPTY, t(I64));
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axis", 2L), "axis 2 is out of range for rank 2");
    invalid("scalar", List.of(t(F32)), Attrs.EMPTY, "rank >= 1");
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_argmax_default_axis_example", op(Attrs.of("axis", 0L, "keepdims", true)));
    onnxData("test_argmax_default_axis_random", op(Attrs.of("axis", 0L, "keepdims", true)));
    onnxData("test_argmax_keepdims_example", op(Attrs.of("axis", 1L, "keepdims", true)));
    onnxData("test_argmax_keepdims_random", op(Attrs.of("axis", 1L, "keepdims", true)));
    onnxData("test_argmax_negative_axis_keepdims_example", op(Attrs.of("axis", -1L, "keepdims", true)));
    onnxData("test_argmax_negative_axis_keepdims_random", op(Attrs.of("axis", -1L, "keepdims", true)));
    onnxData("test_argmax_no_keepdims_example", op(Attrs.of("axis", 1L)));
    onnxData("test_argmax_no_keepdims_random", op(Attrs.of("axis", 1L)));
    // Ties give the first index: row [3, 1, 3] -> 0, row [0, 5, 5] -> 1.
    numeric("ties take the first", List.of(HostTensor.ofFloats(new float[] {3, 1, 3, 0, 5, 5}, 2, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {0, 1}, 2)));
  }
}
