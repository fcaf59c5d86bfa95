package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class RangeCases extends OpCases {
  @Override protected void define() {
    valid("f32", List.of(t(F32), t(F32), t(F32)), Attrs.EMPTY, t(F32, Dim.unknown()));
    valid("i32", List.of(t(I32), t(I32), t(I32)), Attrs.EMPTY, t(I32, Dim.unknown()));
    invalid("mixed dtypes", List.of(t(I64), t(I32), t(I64)), Attrs.EMPTY, "input limit must be i64 like start");
    invalid("not a scalar", List.of(t(F32), t(F32, 1), t(F32)), Attrs.EMPTY, "input limit must be a scalar");
    invalid("bool", List.of(t(dev.kiln.spec.DType.BOOL), t(dev.kiln.spec.DType.BOOL), t(dev.kiln.spec.DType.BOOL)),
        Attrs.EMPTY, "input start must be one of");
    onnxData("test_range_float_type_positive_delta", op(Attrs.EMPTY));
    onnxData("test_range_int32_type_negative_delta", op(Attrs.EMPTY));
    numeric("i64, 3 steps of 4", List.of(HostTensor.ofLongs(new long[] {1}), HostTensor.ofLongs(new long[] {10}),
        HostTensor.ofLongs(new long[] {4})), op(Attrs.EMPTY), List.of(HostTensor.ofLongs(new long[] {1, 5, 9}, 3)));
    numeric("empty when delta points away", List.of(HostTensor.ofFloats(new float[] {1}), HostTensor.ofFloats(new float[] {5}),
        HostTensor.ofFloats(new float[] {-1})), op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[0], 0)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
