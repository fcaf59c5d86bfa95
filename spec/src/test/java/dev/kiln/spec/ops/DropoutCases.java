package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DropoutCases extends OpCases {
  @Override protected void define() {
    valid("inference form", List.of(t(F32, "batch", 3)), Attrs.of("rate", 0.3), t(F32, "batch", 3));
    invalid("rate 1", List.of(t(F32, 2)), Attrs.of("rate", 1.0), "rate must be in [0, 1), got 1.0");
    invalid("training without step", List.of(t(F32, 2)), Attrs.of("training", true), "needs input step");
    invalid("integer step", List.of(t(F32, 2), t(I32)), Attrs.of("training", true), "input step must be an f32 scalar");
    invalid("spatial rank 1", List.of(t(F32, 2)), Attrs.of("spatial", true), "rank");
    invalid("integer x", List.of(t(I32, 2)), Attrs.EMPTY, "float");
    // ONNX Dropout-13 without training_mode: the identity (so is our inference form).
    onnxData("test_dropout_default", op(Attrs.EMPTY));
    numeric("inference form is the identity", List.of(HostTensor.ofFloats(new float[] {-1, 0, 2.5f}, 3)),
        op(Attrs.of("rate", 0.9)), List.of(HostTensor.ofFloats(new float[] {-1, 0, 2.5f}, 3)));
  }

  @Override public boolean smooth() { return true; }
}
