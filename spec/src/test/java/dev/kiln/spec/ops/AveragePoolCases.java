package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AveragePoolCases extends OpCases {
  static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("2x2 stride 2", List.of(t(F32, "batch", 8, 28, 28)), Attrs.of("kernel", l(2, 2), "strides", l(2, 2)),
        t(F32, "batch", 8, 14, 14));
    valid("padded, counting pads", List.of(t(F32, 1, 3, 28, 28)), Attrs.of("kernel", l(3, 3), "pads", l(2, 2, 2, 2),
        "countIncludePad", true), t(F32, 1, 3, 30, 30));
    valid("3-d", List.of(t(F32, 1, 3, 8, 8, 8)), Attrs.of("kernel", l(2, 2, 2)), t(F32, 1, 3, 7, 7, 7));
    invalid("integer input", List.of(t(I64, 1, 1, 4, 4)), Attrs.of("kernel", l(2, 2)), "floating-point");
    invalid("dilations not taken", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(2, 2), "dilations", l(2, 2)),
        "unknown attribute 'dilations'");
    invalid("rank", List.of(t(F32, 4, 4)), Attrs.of("kernel", l(2, 2)), "1 to 3 spatial axes");
    onnxData("test_averagepool_1d_default", op(Attrs.of("kernel", l(2))));
    onnxData("test_averagepool_2d_ceil", op(Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "ceil", true)));
    onnxData("test_averagepool_2d_default", op(Attrs.of("kernel", l(2, 2))));
    onnxData("test_averagepool_2d_pads", op(Attrs.of("kernel", l(3, 3), "pads", l(2, 2, 2, 2))));
    onnxData("test_averagepool_2d_pads_count_include_pad",
        op(Attrs.of("kernel", l(3, 3), "pads", l(2, 2, 2, 2), "countIncludePad", true)));
    onnxData("test_averagepool_2d_precomputed_pads", op(Attrs.of("kernel", l(5, 5), "pads", l(2, 2, 2, 2))));
    onnxData("test_averagepool_2d_precomputed_pads_count_include_pad",
        op(Attrs.of("kernel", l(5, 5), "pads", l(2, 2, 2, 2), "countIncludePad", true)));
    // SAME_UPPER, kernel 3, stride 2 on 5: 1 padded cell before and after (excluded from the mean).
    onnxData("test_averagepool_2d_precomputed_same_upper",
        op(Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "pads", l(1, 1, 1, 1))));
    onnxData("test_averagepool_2d_precomputed_strides", op(Attrs.of("kernel", l(2, 2), "strides", l(2, 2))));
    // SAME, kernel 2 on 32: one padded cell, before (LOWER) or after (UPPER).
    onnxData("test_averagepool_2d_same_lower", op(Attrs.of("kernel", l(2, 2), "pads", l(1, 1, 0, 0))));
    onnxData("test_averagepool_2d_same_upper", op(Attrs.of("kernel", l(2, 2), "pads", l(0, 0, 1, 1))));
    onnxData("test_averagepool_2d_strides", op(Attrs.of("kernel", l(5, 5), "strides", l(3, 3))));
    onnxData("test_averagepool_3d_default", op(Attrs.of("kernel", l(2, 2, 2))));
    // [1, 2, 3, 4], kernel 2, stride 2, pad 1 each side: windows [pad,1] [2,3] [4,pad].
    numeric("pads excluded by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 1, 1, 4)),
        op(Attrs.of("kernel", l(2), "strides", l(2), "pads", l(1, 1))),
        List.of(HostTensor.ofFloats(new float[] {1, 2.5f, 4}, 1, 1, 3)));
    numeric("pads included by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 1, 1, 4)),
        op(Attrs.of("kernel", l(2), "strides", l(2), "pads", l(1, 1), "countIncludePad", true)),
        List.of(HostTensor.ofFloats(new float[] {0.5f, 2.5f, 2}, 1, 1, 3)));
  }
}
