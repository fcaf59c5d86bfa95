package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class BatchNormTrainingCases extends OpCases {
  @Override protected void define() {
    valid("NCHW", List.of(t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3)), Attrs.EMPTY, t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3));
    valid("NC", List.of(t(F64, 2, 5), t(F64, 5), t(F64, 5)), Attrs.of("epsilon", 1e-3), t(F64, 2, 5), t(F64, 5), t(F64, 5));
    valid("NCL", List.of(t(F32, 4, 2, 7), t(F32, 2), t(F32, 2)), Attrs.EMPTY, t(F32, 4, 2, 7), t(F32, 2), t(F32, 2));
    invalid("channel mismatch", List.of(t(F32, 2, 3, 4), t(F32, 4), t(F32, 3)), Attrs.EMPTY, "input scale length vs channels of x");
    invalid("rank 1 x", List.of(t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY, "rank");
    invalid("integer x", List.of(t(I32, 2, 3), t(I32, 3), t(I32, 3)), Attrs.EMPTY, "float");
    invalid("dtype mix", List.of(t(F32, 2, 3), t(F32, 3), t(F64, 3)), Attrs.EMPTY, "input bias must be f32 like x");
    invalid("negative epsilon", List.of(t(F32, 2, 3), t(F32, 3), t(F32, 3)), Attrs.of("epsilon", -1.0), "epsilon must be >= 0");
    // x [2, 2]: channel 0 holds {1, 3} (mean 2, biased variance 1), channel 1 {2, 6} (mean 4, variance 4).
    // scale [1, 2], bias [0, 1]: y0 = (x - 2) / 1 = -1, 1; y1 = 2 (x - 4) / 2 + 1 = -1, 3.
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 6}, 2, 2), HostTensor.ofFloats(new float[] {1, 2}, 2),
            HostTensor.ofFloats(new float[] {0, 1}, 2)), op(Attrs.of("epsilon", 0.0)),
        List.of(HostTensor.ofFloats(new float[] {-1, -1, 1, 3}, 2, 2), HostTensor.ofFloats(new float[] {2, 4}, 2),
            HostTensor.ofFloats(new float[] {1, 4}, 2)));
    // NCHW [2, 1, 1, 2]: one channel of {0, 2, 4, 6}: mean 3, variance (9 + 1 + 1 + 9) / 4 = 5; scale 1, bias 0,
    // epsilon 4: y = (x - 3) / 3.
    numeric("NCHW hand values", List.of(HostTensor.ofFloats(new float[] {0, 2, 4, 6}, 2, 1, 1, 2), HostTensor.ofFloats(new float[] {1}, 1),
            HostTensor.ofFloats(new float[] {0}, 1)), op(Attrs.of("epsilon", 4.0)),
        List.of(HostTensor.ofFloats(new float[] {-1, -1f / 3, 1f / 3, 1}, 2, 1, 1, 2), HostTensor.ofFloats(new float[] {3}, 1),
            HostTensor.ofFloats(new float[] {5}, 1)));
  }

  @Override public boolean smooth() { return true; }
}
