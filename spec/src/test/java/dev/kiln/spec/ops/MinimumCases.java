package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class MinimumCases extends OpCases {
  @Override protected void define() {
    valid("same shape", List.of(t(F32, 2, 3), t(F32, 2, 3)), Attrs.EMPTY, t(F32, 2, 3));
    valid("broadcast", List.of(t(F32, "batch", 3), t(F32, 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("both broadcast", List.of(t(F32, 4, 1), t(F32, 1, 2)), Attrs.EMPTY, t(F32, 4, 2));
    invalid("mismatch", List.of(t(F32, 2, 3), t(F32, 3, 2)), Attrs.EMPTY, "cannot broadcast");
    invalid("dtypes differ", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    invalid("bool input", List.of(t(BOOL, 2), t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_min_two_inputs", op(Attrs.EMPTY));
    onnxData("test_min_float32", op(Attrs.EMPTY));
    onnxData("test_min_float64", op(Attrs.EMPTY));
    onnxData("test_min_int32", op(Attrs.EMPTY));
    onnxData("test_min_int64", op(Attrs.EMPTY));
    numeric("broadcast by hand", List.of(HostTensor.ofFloats(new float[] {1, -2, 3}, 3), HostTensor.ofFloats(new float[] {0}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {0, -2, 0}, 3)));
  }
}
