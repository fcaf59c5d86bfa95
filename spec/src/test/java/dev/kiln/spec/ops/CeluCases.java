package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class CeluCases extends OpCases {
  @Override protected void define() {
    valid("default alpha", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("alpha 2, f64", List.of(t(F64, 2, 2)), Attrs.of("alpha", 2.0), t(F64, 2, 2));
    valid("alpha 0.5", List.of(t(F32, 4)), Attrs.of("alpha", 0.5), t(F32, 4));
    invalid("integer input", List.of(t(I32, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_celu", op(Attrs.of("alpha", 2.0)));
    numeric("alpha 2, f64", List.of(HostTensor.fromDoubles(F64, new double[] {-2, 0, 3}, 3)), op(Attrs.of("alpha", 2.0)),
        List.of(HostTensor.fromDoubles(F64, new double[] {2 * (Math.exp(-1) - 1), 0, 3}, 3)), 1e-12);
  }
}
