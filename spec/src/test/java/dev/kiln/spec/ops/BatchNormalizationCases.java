package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class BatchNormalizationCases extends OpCases {
  @Override protected void define() {
    valid("NCHW", List.of(t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY,
        t(F32, "batch", 3, 4, 4));
    valid("NC", List.of(t(F64, 2, 5), t(F64, 5), t(F64, 5), t(F64, 5), t(F64, 5)), Attrs.of("epsilon", 1e-3), t(F64, 2, 5));
    invalid("channel mismatch", List.of(t(F32, 2, 3, 4), t(F32, 4), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY,
        "input scale length vs channels of x");
    invalid("rank 1 x", List.of(t(F32, 3), t(F32, 3), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY, "rank");
    invalid("integer x", List.of(t(I32, 2, 3), t(I32, 3), t(I32, 3), t(I32, 3), t(I32, 3)), Attrs.EMPTY, "float");
    invalid("dtype mix", List.of(t(F32, 2, 3), t(F64, 3), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY,
        "input scale must be f32 like x");
    invalid("negative epsilon", List.of(t(F32, 2, 3), t(F32, 3), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.of("epsilon", -1.0),
        "epsilon must be >= 0");
    onnxData("test_batchnorm_example", op(Attrs.EMPTY));
    onnxData("test_batchnorm_epsilon", op(Attrs.of("epsilon", 1e-2)));
    // x (2, 2); channel 0: (x - 2) / 1; channel 1: 2 (x - 3) / 2 + 1.
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2), HostTensor.ofFloats(new float[] {1, 2}, 2),
            HostTensor.ofFloats(new float[] {0, 1}, 2), HostTensor.ofFloats(new float[] {2, 3}, 2),
            HostTensor.ofFloats(new float[] {1, 4}, 2)), op(Attrs.of("epsilon", 0.0)),
        List.of(HostTensor.ofFloats(new float[] {-1, 0, 1, 2}, 2, 2)));
  }

  @Override public boolean smooth() { return true; }

  /** Keeps the variance input positive. */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 2}; }
}
