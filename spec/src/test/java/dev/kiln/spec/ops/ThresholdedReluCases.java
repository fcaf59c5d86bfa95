package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ThresholdedReluCases extends OpCases {
  @Override protected void define() {
    valid("default alpha", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("alpha 0.5, f64", List.of(t(F64, 2, 2)), Attrs.of("alpha", 0.5), t(F64, 2, 2));
    invalid("integer input", List.of(t(I64, 2)), Attrs.EMPTY, "floating-point");
    onnxData("test_thresholdedrelu", op(Attrs.of("alpha", 2.0)));
    onnxData("test_thresholdedrelu_default", op(Attrs.EMPTY));
    onnxData("test_thresholdedrelu_example", op(Attrs.of("alpha", 2.0)));
    // The threshold itself maps to 0 (strictly greater keeps x).
    numeric("alpha 1.5, f64", List.of(HostTensor.fromDoubles(F64, new double[] {-3, 1.5, 1.6, 4}, 4)), op(Attrs.of("alpha", 1.5)),
        List.of(HostTensor.fromDoubles(F64, new double[] {0, 0, 1.6, 4}, 4)));
  }
}
