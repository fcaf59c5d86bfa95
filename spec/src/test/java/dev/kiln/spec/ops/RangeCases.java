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
    folding();
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

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("i64", List.of(longScalar(0), longScalar(5), longScalar(2)), Attrs.EMPTY, longs(0, 2, 4));
    folds("f32", List.of(known(HostTensor.scalar(dev.kiln.spec.DType.F32, 1)), known(HostTensor.scalar(dev.kiln.spec.DType.F32, 2)),
        known(HostTensor.scalar(dev.kiln.spec.DType.F32, 0.25))), Attrs.EMPTY, known(HostTensor.ofFloats(new float[] {1, 1.25f, 1.5f, 1.75f}, 4)));
    folds("empty when delta points away", List.of(longScalar(5), longScalar(0), longScalar(1)), Attrs.EMPTY, longs());
    declines("a run-time limit", List.of(longScalar(0), runTime(t(dev.kiln.spec.DType.I64)), longScalar(1)), Attrs.EMPTY);
    declines("too long to hold", List.of(longScalar(0), longScalar(2_000_000), longScalar(1)), Attrs.EMPTY);
    declines("a symbolic limit", List.of(longScalar(0), symDim("batch"), longScalar(1)), Attrs.EMPTY);
    foldFails("delta 0", List.of(longScalar(0), longScalar(5), longScalar(0)), Attrs.EMPTY, "delta must not be 0");
  }
}
