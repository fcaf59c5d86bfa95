package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AtanCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_atan", op(Attrs.EMPTY));
    onnxData("test_atan_example", op(Attrs.EMPTY));
    numeric("f32 values", List.of(HostTensor.fromDoubles(F32, new double[] {0, 1, -1}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.fromDoubles(F32, new double[] {0, Math.PI / 4, -Math.PI / 4}, 3)), 1e-6);
  }

  @Override public boolean smooth() { return true; }

}
