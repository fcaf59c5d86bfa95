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

class SignCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("f64", List.of(t(F64, 2)), Attrs.EMPTY, t(F64, 2));
    valid("int64", List.of(t(I64, 4)), Attrs.EMPTY, t(I64, 4));
    valid("int32", List.of(t(I32, 4)), Attrs.EMPTY, t(I32, 4));
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_sign", op(Attrs.EMPTY));
    numeric("int64", List.of(HostTensor.ofLongs(new long[] {-7, 0, 3, Long.MIN_VALUE}, 4)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {-1, 0, 1, -1}, 4)));
    numeric("floats", List.of(HostTensor.ofFloats(new float[] {-0.001f, 0f, 1e30f}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {-1f, 0f, 1f}, 3)));
  }
}
