package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ModCases extends OpCases {
  private static final Attrs FMOD = Attrs.of("fmod", true);

  @Override protected void define() {
    // Integer typing is covered by the data and numeric cases: valid cases also feed random integers to
    // both back ends (TfOnnxAgreementTest), and ONNX Runtime refuses an integer modulo by zero.
    valid("float fmod", List.of(t(F32, 2, 3), t(F32, 2, 3)), FMOD, t(F32, 2, 3));
    valid("f64 fmod", List.of(t(F64, 4), t(F64, 4)), FMOD, t(F64, 4));
    invalid("float without fmod", List.of(t(F32, 2), t(F32, 2)), Attrs.EMPTY, "need fmod = true");
    invalid("dtypes differ", List.of(t(I32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    invalid("bool", List.of(t(BOOL, 2), t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_mod_broadcast", op(Attrs.EMPTY));
    onnxData("test_mod_int64_fmod", op(FMOD));
    onnxData("test_mod_mixed_sign_float16", op(FMOD));
    onnxData("test_mod_mixed_sign_float32", op(FMOD));
    onnxData("test_mod_mixed_sign_float64", op(FMOD));
    onnxData("test_mod_mixed_sign_int8", op(Attrs.EMPTY));
    onnxData("test_mod_mixed_sign_int16", op(Attrs.EMPTY));
    onnxData("test_mod_mixed_sign_int32", op(Attrs.EMPTY));
    onnxData("test_mod_mixed_sign_int64", op(Attrs.EMPTY));
    onnxData("test_mod_uint8", op(Attrs.EMPTY));
    onnxData("test_mod_uint16", op(Attrs.EMPTY));
    onnxData("test_mod_uint32", op(Attrs.EMPTY));
    onnxData("test_mod_uint64", op(Attrs.EMPTY));
    // The sign rules by hand: the divisor's sign without fmod, the dividend's with it.
    List<HostTensor> signs = List.of(HostTensor.ofLongs(new long[] {-4, 4, -4, 4, 7}, 5), HostTensor.ofLongs(new long[] {3, -3, -3, 3, 7}, 5));
    numeric("divisor's sign", signs, op(Attrs.EMPTY), List.of(HostTensor.ofLongs(new long[] {2, -2, -1, 1, 0}, 5)));
    numeric("dividend's sign (fmod)", signs, op(FMOD), List.of(HostTensor.ofLongs(new long[] {-1, 1, -1, 1, 0}, 5)));
    numeric("float fmod", List.of(HostTensor.ofFloats(new float[] {-4.5f, 4.5f, 5f}, 3), HostTensor.ofFloats(new float[] {2f, -2f, 2.5f}, 3)),
        op(FMOD), List.of(HostTensor.ofFloats(new float[] {-0.5f, 0.5f, 0f}, 3)));
  }

  /** Draws inputs from [0.5, 2]: divisors away from 0, where the remainder's jumps crowd together. */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 2}; }
}
