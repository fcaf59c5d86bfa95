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
    folding();
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

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("integers wrap when narrowed", List.of(longs(300, -1)), Attrs.of("to", dev.kiln.spec.DType.I8),
        known(HostTensor.fromDoubles(dev.kiln.spec.DType.I8, new double[] {44, -1}, 2)));
    folds("a long rounds once into f32", List.of(longs(16_777_217L)), Attrs.of("to", dev.kiln.spec.DType.F32),
        known(HostTensor.ofFloats(new float[] {16_777_216f}, 1)));
    folds("floats truncate into integers", List.of(known(HostTensor.ofFloats(new float[] {2.7f, -2.7f}, 2))),
        Attrs.of("to", dev.kiln.spec.DType.I32), known(HostTensor.ofInts(new int[] {2, -2}, 2)));
    folds("to bool, NaN is true", List.of(known(HostTensor.ofFloats(new float[] {0f, Float.NaN}, 2))),
        Attrs.of("to", dev.kiln.spec.DType.BOOL), known(HostTensor.ofBooleans(new boolean[] {false, true}, 2)));
    folds("a shape value to i32", List.of(symShape("batch", 3)), Attrs.of("to", dev.kiln.spec.DType.I32),
        dev.kiln.spec.op.Folded.ints(dev.kiln.spec.DType.I32, syms("batch", 3), false));
    folds("a fill's value", List.of(fill(HostTensor.ofFloats(new float[] {1.5f}), "batch")), Attrs.of("to", dev.kiln.spec.DType.I64),
        fill(HostTensor.ofLongs(new long[] {1}), "batch"));
    declines("NaN into an integer", List.of(known(HostTensor.ofFloats(new float[] {Float.NaN}, 1))), Attrs.of("to", dev.kiln.spec.DType.I32));
    declines("out of the target's range", List.of(known(HostTensor.ofFloats(new float[] {1e10f}, 1))), Attrs.of("to", dev.kiln.spec.DType.I32));
    declines("f16 is left to the runtime", List.of(known(HostTensor.ofFloats(new float[] {1f}, 1))), Attrs.of("to", dev.kiln.spec.DType.F16));
    declines("a shape value to a float", List.of(symShape("batch")), Attrs.of("to", dev.kiln.spec.DType.F32));
    declines("a run-time input", List.of(runTime(t(dev.kiln.spec.DType.F32, 2))), Attrs.of("to", dev.kiln.spec.DType.I64));
  }
}
