package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConvTransposeCases extends OpCases {
  private static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("basic", List.of(t(F32, 1, 1, 3, 3), t(F32, 1, 2, 3, 3)), Attrs.EMPTY, t(F32, 1, 2, 5, 5));
    valid("strides, pads, output padding", List.of(t(F32, 1, 1, 3, 3), t(F32, 1, 2, 3, 3)),
        Attrs.of("strides", l(3, 2), "pads", l(1, 2, 1, 2), "outputPadding", l(1, 1)), t(F32, 1, 2, 8, 4));
    valid("grouped with bias", List.of(t(F32, 2, 4, 5, 5), t(F32, 4, 3, 3, 3), t(F32, 6)), Attrs.of("group", 2),
        t(F32, 2, 6, 7, 7));
    valid("depthwise dilated", List.of(t(F32, 1, 3, 4, 4), t(F32, 3, 1, 2, 2)), Attrs.of("group", 3, "dilations", l(2, 2)),
        t(F32, 1, 3, 6, 6));
    valid("1-d strided", List.of(t(F32, "batch", 2, 5), t(F32, 2, 3, 3)), Attrs.of("strides", l(2)), t(F32, "batch", 3, 11));
    // One channel in and one out per group: a depthwise input gradient on TensorFlow (oneDNN's AVX2 backward-data
    // kernel is wrong for them on AVX-512 CPUs), Eigen's f64 kernel where the strides differ.
    valid("depthwise strided padded", List.of(t(F32, 2, 4, 5, 6), t(F32, 4, 1, 3, 3)),
        Attrs.of("group", 4, "strides", l(2, 2), "pads", l(1, 1, 1, 1)), t(F32, 2, 4, 9, 11));
    valid("one channel, unequal strides", List.of(t(F32, 1, 1, 3, 4), t(F32, 1, 1, 3, 3)), Attrs.of("strides", l(1, 2)),
        t(F32, 1, 1, 5, 9));
    valid("1-d one channel strided", List.of(t(F32, "batch", 1, 5), t(F32, 1, 1, 3)), Attrs.of("strides", l(2)), t(F32, "batch", 1, 11));
    invalid("channels vs weight", List.of(t(F32, 1, 2, 3, 3), t(F32, 3, 1, 3, 3)), Attrs.EMPTY,
        "must have as many channels as weight w");
    invalid("output padding too large", List.of(t(F32, 1, 1, 3, 3), t(F32, 1, 1, 3, 3)),
        Attrs.of("strides", l(2, 2), "outputPadding", l(2, 0)), "must be >= 0 and below the stride or dilation");
    invalid("bias size", List.of(t(F32, 1, 1, 3, 3), t(F32, 1, 2, 3, 3), t(F32, 3)), Attrs.EMPTY, "bias b f32[3] must have O = 2");
    onnxData("test_convtranspose", op(Attrs.EMPTY));
    onnxData("test_convtranspose_1d", op(Attrs.EMPTY));
    onnxData("test_convtranspose_3d", op(Attrs.EMPTY));
    onnxData("test_convtranspose_dilations", op(Attrs.of("dilations", l(2, 2))));
    onnxData("test_convtranspose_pads", op(Attrs.of("strides", l(3, 2), "pads", l(1, 2, 1, 2))));
    onnxData("test_convtranspose_pad", op(Attrs.of("strides", l(3, 2), "outputPadding", l(1, 1))));
    // Hand-computed: x = [1, 2] stride 2 with kernel [1, 10, 100] -> [1, 10, 100 + 2, 20, 200], cropped by 1 at the start.
    numeric("1-d stride 2 cropped", List.of(HostTensor.ofFloats(new float[] {1, 2}, 1, 1, 2), HostTensor.ofFloats(new float[] {1, 10, 100}, 1, 1, 3)),
        op(Attrs.of("strides", l(2), "pads", l(1, 0))), List.of(HostTensor.ofFloats(new float[] {10, 102, 20, 200}, 1, 1, 4)));
  }
}
