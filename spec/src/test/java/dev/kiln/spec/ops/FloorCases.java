package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class FloorCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("f64", List.of(t(F64, 2)), Attrs.EMPTY, t(F64, 2));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_floor", op(Attrs.EMPTY));
    onnxData("test_floor_example", op(Attrs.EMPTY));
    numeric("negatives go down", List.of(HostTensor.ofFloats(new float[] {-1.5f, -1f, -0.25f, 0.75f, 2f}, 5)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {-2f, -1f, -1f, 0f, 2f}, 5)));
  }
}
