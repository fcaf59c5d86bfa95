package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.U8;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class MaxPoolCases extends OpCases {
  static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("2x2 stride 2", List.of(t(F32, "batch", 8, 28, 28)), Attrs.of("kernel", l(2, 2), "strides", l(2, 2)),
        t(F32, "batch", 8, 14, 14));
    valid("ceil", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "ceil", true), t(F32, 1, 1, 2, 2));
    valid("dilated", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(2, 2), "dilations", l(2, 2)), t(F32, 1, 1, 2, 2));
    valid("uint8 1-d", List.of(t(U8, 1, 3, 32)), Attrs.of("kernel", l(2)), t(U8, 1, 3, 31));
    invalid("kernel length", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(2)), "kernel must have 2 entries");
    invalid("pads not smaller than kernel", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(2, 2), "pads", l(2, 2, 2, 2)),
        "must be smaller than kernel");
    invalid("window too large", List.of(t(F32, 1, 1, 2, 2)), Attrs.of("kernel", l(3, 3)), "larger than padded input 2");
    invalid("no kernel", List.of(t(F32, 1, 1, 2, 2)), Attrs.EMPTY, "missing required attribute 'kernel'");
    invalid("stride 0", List.of(t(F32, 1, 1, 4, 4)), Attrs.of("kernel", l(2, 2), "strides", l(0, 1)), "strides must be >= 1");
    onnxData("test_maxpool_1d_default", op(Attrs.of("kernel", l(2))));
    onnxData("test_maxpool_2d_ceil", op(Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "ceil", true)));
    onnxData("test_maxpool_2d_default", op(Attrs.of("kernel", l(2, 2))));
    onnxData("test_maxpool_2d_dilations", op(Attrs.of("kernel", l(2, 2), "dilations", l(2, 2))));
    onnxData("test_maxpool_2d_pads", op(Attrs.of("kernel", l(3, 3), "pads", l(2, 2, 2, 2))));
    onnxData("test_maxpool_2d_precomputed_pads", op(Attrs.of("kernel", l(5, 5), "pads", l(2, 2, 2, 2))));
    // SAME_UPPER, kernel 3, stride 2 on 5: output 3 needs 2 padded cells, 1 before and 1 after.
    onnxData("test_maxpool_2d_precomputed_same_upper", op(Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "pads", l(1, 1, 1, 1))));
    onnxData("test_maxpool_2d_precomputed_strides", op(Attrs.of("kernel", l(2, 2), "strides", l(2, 2))));
    // SAME, kernel 2, stride 1 on 32: one padded cell, before (LOWER) or after (UPPER).
    onnxData("test_maxpool_2d_same_lower", op(Attrs.of("kernel", l(2, 2), "pads", l(1, 1, 0, 0))));
    onnxData("test_maxpool_2d_same_upper", op(Attrs.of("kernel", l(2, 2), "pads", l(0, 0, 1, 1))));
    onnxData("test_maxpool_2d_strides", op(Attrs.of("kernel", l(5, 5), "strides", l(3, 3))));
    onnxData("test_maxpool_2d_uint8", op(Attrs.of("kernel", l(5, 5), "pads", l(2, 2, 2, 2))));
    onnxData("test_maxpool_3d_default", op(Attrs.of("kernel", l(2, 2, 2))));
    numeric("negative values with padding", List.of(HostTensor.ofFloats(new float[] {-1, -5, -3, -2}, 1, 1, 4)),
        op(Attrs.of("kernel", l(2), "strides", l(2), "pads", l(1, 1))),
        List.of(HostTensor.ofFloats(new float[] {-1, -3, -2}, 1, 1, 3)));
  }
}
