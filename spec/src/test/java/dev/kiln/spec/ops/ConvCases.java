package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConvCases extends OpCases {
  private static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("3x3 same", List.of(t(F32, "batch", 3, 28, 28), t(F32, 8, 3, 3, 3), t(F32, 8)), Attrs.of("pads", l(1, 1, 1, 1)),
        t(F32, "batch", 8, 28, 28));
    valid("no bias, valid", List.of(t(F32, 1, 1, 5, 5), t(F32, 1, 1, 3, 3)), Attrs.EMPTY, t(F32, 1, 1, 3, 3));
    valid("strided, asymmetric pads", List.of(t(F32, 1, 1, 7, 5), t(F32, 1, 1, 3, 3)),
        Attrs.of("strides", l(2, 2), "pads", l(1, 0, 1, 0)), t(F32, 1, 1, 4, 2));
    valid("depthwise dilated", List.of(t(F32, 2, 4, 10, 10), t(F32, 8, 1, 3, 3)), Attrs.of("group", 4, "dilations", l(2, 2)),
        t(F32, 2, 8, 6, 6));
    valid("1-d", List.of(t(F32, "batch", 2, 16), t(F32, 4, 2, 5)), Attrs.of("strides", l(2)), t(F32, "batch", 4, 6));
    valid("3-d", List.of(t(F32, 1, 2, 4, 4, 4), t(F32, 3, 2, 2, 2, 2)), Attrs.EMPTY, t(F32, 1, 3, 3, 3, 3));
    valid("dynamic spatial", List.of(t(F32, 1, 1, "h", 5), t(F32, 1, 1, 3, 3)), Attrs.EMPTY,
        t(F32, 1, 1, dev.kiln.spec.Dim.unknown(), 3));
    invalid("channels vs weight", List.of(t(F32, 1, 3, 8, 8), t(F32, 4, 2, 3, 3)), Attrs.EMPTY,
        "input x has 3 channels but weight w [4, 2, 3, 3] expects 2 x group 1 = 2");
    invalid("channels vs group", List.of(t(F32, 1, 4, 8, 8), t(F32, 6, 1, 3, 3)), Attrs.of("group", 2),
        "expects 1 x group 2 = 2");
    invalid("outputs vs group", List.of(t(F32, 1, 4, 8, 8), t(F32, 5, 2, 3, 3)), Attrs.of("group", 2),
        "output channels 5 of weight w [5, 2, 3, 3] are not divisible by group 2");
    invalid("bias size", List.of(t(F32, 1, 1, 5, 5), t(F32, 4, 1, 3, 3), t(F32, 3)), Attrs.EMPTY, "bias b f32[3] must have O = 4");
    invalid("kernel larger than input", List.of(t(F32, 1, 1, 2, 2), t(F32, 1, 1, 3, 3)), Attrs.EMPTY,
        "window of 3 (kernel 3, dilation 1) is larger than padded input 2");
    invalid("pads length", List.of(t(F32, 1, 1, 5, 5), t(F32, 1, 1, 3, 3)), Attrs.of("pads", l(1, 1)), "pads must have 4 entries");
    invalid("rank 2 input", List.of(t(F32, 1, 5), t(F32, 1, 5)), Attrs.EMPTY, "1 to 3 spatial axes");
    invalid("weight rank", List.of(t(F32, 1, 1, 5, 5), t(F32, 1, 1, 3)), Attrs.EMPTY, "weight w must be [O, C/group, *kernel]");
    invalid("integer input", List.of(t(I64, 1, 1, 5, 5), t(I64, 1, 1, 3, 3)), Attrs.EMPTY, "floating-point");
    onnxData("test_basic_conv_with_padding", op(Attrs.of("pads", l(1, 1, 1, 1))));
    onnxData("test_basic_conv_without_padding", op(Attrs.of("pads", l(0, 0, 0, 0))));
    onnxData("test_conv_with_strides_no_padding", op(Attrs.of("strides", l(2, 2))));
    onnxData("test_conv_with_strides_padding", op(Attrs.of("strides", l(2, 2), "pads", l(1, 1, 1, 1))));
    onnxData("test_conv_with_strides_and_asymmetric_padding", op(Attrs.of("strides", l(2, 2), "pads", l(1, 0, 1, 0))));
    // auto_pad=SAME_LOWER, kernel 3, stride 2 on 5x5: output 3 needs 2 padded cells per axis, split 1/1.
    onnxData("test_conv_with_autopad_same", op(Attrs.of("strides", l(2, 2), "pads", l(1, 1, 1, 1))));
    // Hand-computed: 1-d, two groups, with bias. x = [[1, 2, 3, 4]], [[10, 20, 30, 40]]; w per group [1, 1] (sum of pairs).
    numeric("grouped 1-d with bias", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 4),
            HostTensor.ofFloats(new float[] {1, 1, 1, -1}, 2, 1, 2), HostTensor.ofFloats(new float[] {0.5f, -1}, 2)),
        op(Attrs.of("group", 2, "strides", l(2))),
        List.of(HostTensor.ofFloats(new float[] {3.5f, 7.5f, -11, -11}, 1, 2, 2)));
    // Hand-computed: depthwise 3x3 (group = C = 2) over ones with padding 1: each output counts the cells its
    // window covers (4 in corners, 6 on edges, 9 inside). TF runs this as DepthwiseConv2dNative.
    float[] ones = new float[18];
    java.util.Arrays.fill(ones, 1);
    float[] count = {4, 6, 4, 6, 9, 6, 4, 6, 4};
    float[] both = new float[18];
    System.arraycopy(count, 0, both, 0, 9);
    System.arraycopy(count, 0, both, 9, 9);
    numeric("depthwise padded", List.of(HostTensor.ofFloats(ones, 1, 2, 3, 3), HostTensor.ofFloats(ones, 2, 1, 3, 3)),
        op(Attrs.of("group", 2, "pads", l(1, 1, 1, 1))), List.of(HostTensor.ofFloats(both, 1, 2, 3, 3)));
  }
}
