package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class RoundCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("f64", List.of(t(F64, 2)), Attrs.EMPTY, t(F64, 2));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_round", op(Attrs.EMPTY));
    // Halves go to the even neighbour, not away from zero.
    numeric("halves to even", List.of(HostTensor.fromDoubles(F64, new double[] {0.5, 1.5, 2.5, -0.5, -1.5, -2.6, 2.4}, 7)),
        op(Attrs.EMPTY), List.of(HostTensor.fromDoubles(F64, new double[] {0, 2, 2, -0.0, -2, -3, 2}, 7)));
  }
}
