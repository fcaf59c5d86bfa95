package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class MaxPoolGradCases extends OpCases {
  private static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("2x2 stride 2", List.of(t(F32, "batch", 3, 8, 8), t(F32, "batch", 3, 4, 4)), Attrs.of("kernel", l(2, 2), "strides", l(2, 2)),
        t(F32, "batch", 3, 8, 8));
    valid("ceil, padded", List.of(t(F32, 1, 2, 5, 6), t(F32, 1, 2, 3, 3)),
        Attrs.of("kernel", l(3, 3), "strides", l(2, 2), "pads", l(1, 1, 1, 0), "ceil", true), t(F32, 1, 2, 5, 6));
    valid("1-d overlapping", List.of(t(F32, 2, 3, 7), t(F32, 2, 3, 3)), Attrs.of("kernel", l(3), "strides", l(2)), t(F32, 2, 3, 7));
    valid("dilated", List.of(t(F32, 1, 1, 4, 4), t(F32, 1, 1, 2, 2)), Attrs.of("kernel", l(2, 2), "dilations", l(2, 2)), t(F32, 1, 1, 4, 4));
    invalid("gy shape", List.of(t(F32, 1, 1, 4, 4), t(F32, 1, 1, 3, 3)), Attrs.of("kernel", l(2, 2), "strides", l(2, 2)),
        "must be MaxPool's output f32[1, 1, 2, 2]");
    invalid("integer", List.of(t(I64, 1, 1, 4, 4), t(I64, 1, 1, 2, 2)), Attrs.of("kernel", l(2, 2), "strides", l(2, 2)), "floating-point");
    // Hand-computed: windows [1, 3, 2], [3, 2, 5], [2, 5, 4] peak at positions 1, 3, 3.
    numeric("overlapping windows add up", List.of(HostTensor.ofFloats(new float[] {1, 3, 2, 5, 4}, 1, 1, 5),
        HostTensor.ofFloats(new float[] {1, 2, 4}, 1, 1, 3)), op(Attrs.of("kernel", l(3))),
        List.of(HostTensor.ofFloats(new float[] {0, 1, 0, 6, 0}, 1, 1, 5)));
    // Ties go to the first maximum of each window, as in PyTorch.
    numeric("ties take the first", List.of(HostTensor.ofFloats(new float[] {2, 2, 1, 1}, 1, 1, 4),
        HostTensor.ofFloats(new float[] {5, 7}, 1, 1, 2)), op(Attrs.of("kernel", l(2), "strides", l(2))),
        List.of(HostTensor.ofFloats(new float[] {5, 0, 7, 0}, 1, 1, 4)));
    // Padding never wins: windows [pad, -1], [-5, -3], [-2, pad].
    numeric("negative values with padding", List.of(HostTensor.ofFloats(new float[] {-1, -5, -3, -2}, 1, 1, 4),
        HostTensor.ofFloats(new float[] {1, 2, 3}, 1, 1, 3)), op(Attrs.of("kernel", l(2), "strides", l(2), "pads", l(1, 1))),
        List.of(HostTensor.ofFloats(new float[] {1, 0, 2, 3}, 1, 1, 4)));
    // A 2-d window of equal values: all to the first in row-major order (PyTorch's choice too).
    numeric("2-d ties", List.of(HostTensor.ofFloats(new float[] {1, 1, 1, 1}, 1, 1, 2, 2), HostTensor.ofFloats(new float[] {3}, 1, 1, 1, 1)),
        op(Attrs.of("kernel", l(2, 2))), List.of(HostTensor.ofFloats(new float[] {3, 0, 0, 0}, 1, 1, 2, 2)));
    // 2-d: [[1, 9], [8, 2]] in one window -> all to the 9.
    numeric("2-d window", List.of(HostTensor.ofFloats(new float[] {1, 9, 8, 2}, 1, 1, 2, 2), HostTensor.ofFloats(new float[] {3}, 1, 1, 1, 1)),
        op(Attrs.of("kernel", l(2, 2))), List.of(HostTensor.ofFloats(new float[] {0, 3, 0, 0}, 1, 1, 2, 2)));
  }
}
