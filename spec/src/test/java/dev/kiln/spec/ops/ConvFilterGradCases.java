package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConvFilterGradCases extends OpCases {
  private static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("3x3 same", List.of(t(F32, "batch", 3, 8, 8), t(F32, "batch", 4, 8, 8)), Attrs.of("kernel", l(3, 3), "pads", l(1, 1, 1, 1)),
        t(F32, 4, 3, 3, 3));
    valid("strided, asymmetric pads", List.of(t(F32, 1, 1, 7, 5), t(F32, 1, 2, 4, 2)),
        Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "pads", l(1, 0, 1, 0)), t(F32, 2, 1, 3, 3));
    valid("grouped dilated", List.of(t(F32, 2, 4, 10, 10), t(F32, 2, 8, 6, 6)), Attrs.of("kernel", l(3, 3), "group", 4, "dilations", l(2, 2)),
        t(F32, 8, 1, 3, 3));
    valid("stride past the last window", List.of(t(F32, 1, 2, 6, 6), t(F32, 1, 3, 2, 2)), Attrs.of("kernel", l(2, 2), "strides", l(3, 3)),
        t(F32, 3, 2, 2, 2));
    valid("1-d", List.of(t(F32, 2, 2, 16), t(F32, 2, 4, 6)), Attrs.of("kernel", l(5), "strides", l(2)), t(F32, 4, 2, 5));
    invalid("gy size", List.of(t(F32, 1, 1, 5, 5), t(F32, 1, 1, 4, 3)), Attrs.of("kernel", l(3, 3)),
        "must have Conv's output size on spatial axis 2");
    invalid("group", List.of(t(F32, 1, 3, 5, 5), t(F32, 1, 2, 3, 3)), Attrs.of("kernel", l(3, 3), "group", 2),
        "must be divisible by group 2");
    // Hand-computed: dw[k] = sum_j gy[j] * x[j + k]; x = [1, 2, 3, 4], gy = [1, 0, -1] -> [1 - 3, 2 - 4].
    numeric("1-d", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 1, 1, 4), HostTensor.ofFloats(new float[] {1, 0, -1}, 1, 1, 3)),
        op(Attrs.of("kernel", l(2))), List.of(HostTensor.ofFloats(new float[] {-2, -2}, 1, 1, 2)));
    // Hand-computed, two groups, stride 2, one padded cell first: padded x rows [0, 1, 2, 3] and [0, 4, 5, 6];
    // gy rows [1, 1] and [2, -1]; dw[o, 0, k] = sum_j gy[o, j] * xpad[o, 2j + k].
    numeric("grouped strided padded", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3),
            HostTensor.ofFloats(new float[] {1, 1, 2, -1}, 1, 2, 2)),
        op(Attrs.of("kernel", l(2), "strides", l(2), "pads", l(1, 0), "group", 2)),
        List.of(HostTensor.ofFloats(new float[] {2, 4, -5, 2}, 2, 1, 2)));
  }
}
