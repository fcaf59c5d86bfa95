package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AtanhCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("f64", List.of(t(F64, 2, 2)), Attrs.EMPTY, t(F64, 2, 2));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_atanh", op(Attrs.EMPTY));
    onnxData("test_atanh_example", op(Attrs.EMPTY));
    numeric("f64 values", List.of(HostTensor.fromDoubles(F64, new double[] {0, 0.6, -0.6}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.fromDoubles(F64, new double[] {0, Math.log(2), -Math.log(2)}, 3)), 1e-12);
  }

  @Override public boolean smooth() { return true; }

  /** Draws inputs from [-0.8, 0.8], where the function is smooth. */
  @Override public double[] gradientInputRange() { return new double[] {-0.8, 0.8}; }
}
