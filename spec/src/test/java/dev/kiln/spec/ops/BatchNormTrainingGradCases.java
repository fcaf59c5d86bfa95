package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class BatchNormTrainingGradCases extends OpCases {
  @Override protected void define() {
    valid("NCHW", List.of(t(F32, "batch", 3, 4, 4), t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY,
        t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3));
    valid("NC", List.of(t(F64, 2, 5), t(F64, 2, 5), t(F64, 5), t(F64, 5), t(F64, 5)), Attrs.EMPTY, t(F64, 2, 5), t(F64, 5), t(F64, 5));
    invalid("gy not like x", List.of(t(F32, 2, 3), t(F32, 2, 4), t(F32, 4), t(F32, 4), t(F32, 4)), Attrs.EMPTY, "input gy must be x's type");
    invalid("channel mismatch", List.of(t(F32, 2, 3), t(F32, 2, 3), t(F32, 3), t(F32, 2), t(F32, 3)), Attrs.EMPTY,
        "input mean length vs channels of x");
    // One channel, x = {0, 0, 2, 2}: mean 1, variance 1 (given), epsilon 0, so xhat = {-1, -1, 1, 1}; gy = {1, 0, 0, 0}:
    // dbias = 1, dscale = sum(gy xhat) = -1; mean(gy) = 1/4, mean(gy xhat) = -1/4;
    // dx = scale (gy - 1/4 + xhat / 4) = 2 {1/2, -1/2, 0, 0} = {1, -1, 0, 0} with scale 2.
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 0, 0, 0}, 4, 1), HostTensor.ofFloats(new float[] {0, 0, 2, 2}, 4, 1),
            HostTensor.ofFloats(new float[] {2}, 1), HostTensor.ofFloats(new float[] {1}, 1), HostTensor.ofFloats(new float[] {1}, 1)),
        op(Attrs.of("epsilon", 0.0)),
        List.of(HostTensor.ofFloats(new float[] {1, -1, 0, 0}, 4, 1), HostTensor.ofFloats(new float[] {-1}, 1),
            HostTensor.ofFloats(new float[] {1}, 1)));
  }

  @Override public boolean smooth() { return true; }

  /** Keeps the variance input positive. */
  @Override public double[] gradientInputRange() { return new double[] {0.5, 2}; }
}
