package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class LogSoftmaxCases extends OpCases {
  @Override protected void define() {
    valid("default axis", List.of(t(F32, "batch", 10)), Attrs.EMPTY, t(F32, "batch", 10));
    valid("axis 0", List.of(t(F32, 3, 4, 5)), Attrs.of("axis", 0L), t(F32, 3, 4, 5));
    invalid("axis out of range", List.of(t(F32, 3, 4)), Attrs.of("axis", 2L), "axis 2 is out of range for rank 2");
    invalid("negative axis out of range", List.of(t(F32, 3, 4)), Attrs.of("axis", -3L), "axis -3 is out of range");
    invalid("integer input", List.of(t(I64, 3)), Attrs.EMPTY, "floating-point");
    invalid("scalar", List.of(t(F32)), Attrs.EMPTY, "rank >= 1");
    onnxData("test_logsoftmax_example_1", op(Attrs.EMPTY));
    onnxData("test_logsoftmax_axis_0", op(Attrs.of("axis", 0L)));
    onnxData("test_logsoftmax_axis_1", op(Attrs.of("axis", 1L)));
    onnxData("test_logsoftmax_axis_2", op(Attrs.of("axis", 2L)));
    onnxData("test_logsoftmax_default_axis", op(Attrs.EMPTY));
    onnxData("test_logsoftmax_large_number", op(Attrs.EMPTY));
    onnxData("test_logsoftmax_negative_axis", op(Attrs.of("axis", -1L)));
    // Along axis 0, columns [0, ln 3] and [ln 3, 0]: exp gives [1, 3] and [3, 1], so softmax = [1/4, 3/4] and [3/4, 1/4].
    float l3 = (float) Math.log(3);
    numeric("axis 0 by hand", List.of(HostTensor.ofFloats(new float[] {0, l3, l3, 0}, 2, 2)), op(Attrs.of("axis", 0L)),
        List.of(HostTensor.ofFloats(new float[] {(float) Math.log(0.25), (float) Math.log(0.75), (float) Math.log(0.75), (float) Math.log(0.25)}, 2, 2)));
  }

  @Override public boolean smooth() { return true; }
}
