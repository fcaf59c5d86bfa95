package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class IsInfCases extends OpCases {
  private static final double[] SPECIALS = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, -1e308, 0};

  @Override protected void define() {
    valid("f32 to bool", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(BOOL, "batch", 3));
    valid("positive only, f64", List.of(t(F64, 2)), Attrs.of("detect_negative", false), t(BOOL, 2));
    valid("negative only", List.of(t(F32, 2)), Attrs.of("detect_positive", false), t(BOOL, 2));
    invalid("integer input", List.of(t(I64, 2)), Attrs.EMPTY, "input x must be a floating-point tensor");
    onnxData("test_isinf", op(Attrs.EMPTY));
    onnxData("test_isinf_negative", op(Attrs.of("detect_positive", false)));
    onnxData("test_isinf_positive", op(Attrs.of("detect_negative", false)));
    numeric("both signs", List.of(HostTensor.fromDoubles(F64, SPECIALS, 5)), op(Attrs.EMPTY),
        List.of(HostTensor.ofBooleans(new boolean[] {true, true, false, false, false}, 5)));
    numeric("positive only", List.of(HostTensor.fromDoubles(F64, SPECIALS, 5)), op(Attrs.of("detect_negative", false)),
        List.of(HostTensor.ofBooleans(new boolean[] {false, true, false, false, false}, 5)));
    numeric("negative only", List.of(HostTensor.fromDoubles(F64, SPECIALS, 5)), op(Attrs.of("detect_positive", false)),
        List.of(HostTensor.ofBooleans(new boolean[] {true, false, false, false, false}, 5)));
    numeric("neither", List.of(HostTensor.fromDoubles(F64, SPECIALS, 5)),
        op(Attrs.of("detect_positive", false, "detect_negative", false)), List.of(HostTensor.ofBooleans(new boolean[5], 5)));
  }
}
