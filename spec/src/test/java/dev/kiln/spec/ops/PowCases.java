package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class PowCases extends OpCases {
  @Override protected void define() {
    valid("scalar exponent", List.of(t(F32, "batch", 3), t(F32)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("mismatch", List.of(t(F32, 2, 3), t(F32, 2)), Attrs.EMPTY, "cannot broadcast");
    invalid("mixed dtypes", List.of(t(F32, 3), t(I64, 3)), Attrs.EMPTY, "cast explicitly");
    onnxData("test_pow", op(Attrs.EMPTY));
    onnxData("test_pow_bcast_array", op(Attrs.EMPTY));
    onnxData("test_pow_bcast_scalar", op(Attrs.EMPTY));
    onnxData("test_pow_example", op(Attrs.EMPTY));
    onnxData("test_pow_types_int32_int32", op(Attrs.EMPTY));
    onnxData("test_pow_types_int64_int64", op(Attrs.EMPTY));
    // Not included: test_pow_types_float*, _int, _int32_float32, _int64_float32 and the uint32/uint64 ones mix
    // base and exponent dtypes, which Kiln's Pow does not (one dtype; cast explicitly), and Kiln has no u32/u64.
  }

  @Override public boolean smooth() { return true; }

  /** Draws inputs from [0.5, 2]: keeps the base positive, where the exponent's gradient ln(a) exists. */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 2}; }
}
