package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BF16;
import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F16;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class CastCases extends OpCases {
  @Override protected void define() {
    valid("f32 to i64", List.of(t(F32, "batch", 3)), Attrs.of("to", I64), t(I64, "batch", 3));
    valid("f32 to f64", List.of(t(F32, 2, 3)), Attrs.of("to", F64), t(F64, 2, 3));
    valid("bool to f16", List.of(t(BOOL, 2)), Attrs.of("to", F16), t(F16, 2));
    invalid("no target", List.of(t(F32, 2)), Attrs.EMPTY, "missing required attribute 'to'");
    invalid("target not a dtype", List.of(t(F32, 2)), Attrs.of("to", 7L), "attribute 'to' must be dtype");
    onnxData("test_cast_FLOAT_to_DOUBLE", op(Attrs.of("to", F64)));
    onnxData("test_cast_DOUBLE_to_FLOAT", op(Attrs.of("to", F32)));
    onnxData("test_cast_FLOAT_to_FLOAT16", op(Attrs.of("to", F16)));
    onnxData("test_cast_FLOAT16_to_FLOAT", op(Attrs.of("to", F32)));
    onnxData("test_cast_DOUBLE_to_FLOAT16", op(Attrs.of("to", F16)));
    onnxData("test_cast_FLOAT16_to_DOUBLE", op(Attrs.of("to", F64)));
    // Not included: test_cast_FLOAT_to_STRING / STRING_to_FLOAT (Kiln has no string dtype), and the BFLOAT16 cases,
    // whose data files hold the bfloat16 bits as UINT16 tensors (Kiln has no u16); "f32 to bf16" and "bf16 to f32" cover them.
    // Float to integer truncates toward zero.
    numeric("f32 to i32 truncates", List.of(HostTensor.ofFloats(new float[] {1.7f, -1.7f, 2.5f, 0}, 4)), op(Attrs.of("to", I32)),
        List.of(HostTensor.ofInts(new int[] {1, -1, 2, 0}, 4)));
    // Values exact in bfloat16 (8 significant bits), so the expected result does not depend on rounding.
    float[] exactInBf16 = {1, -2.5f, 0.15625f, 384, -0.0078125f};
    numeric("f32 to bf16", List.of(HostTensor.ofFloats(exactInBf16, 5)), op(Attrs.of("to", BF16)),
        List.of(HostTensor.fromDoubles(BF16, new double[] {1, -2.5, 0.15625, 384, -0.0078125}, 5)), 0);
    numeric("bf16 to f32", List.of(HostTensor.fromDoubles(BF16, new double[] {1, -2.5, 0.15625, 384, -0.0078125}, 5)),
        op(Attrs.of("to", F32)), List.of(HostTensor.ofFloats(exactInBf16, 5)), 0);
    numeric("bool to f32", List.of(HostTensor.ofBooleans(new boolean[] {true, false}, 2)), op(Attrs.of("to", F32)),
        List.of(HostTensor.ofFloats(new float[] {1, 0}, 2)));
  }

  @Override public boolean smooth() { return true; }
}
