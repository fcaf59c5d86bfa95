package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class InstanceNormalizationCases extends OpCases {
  @Override protected void define() {
    valid("NCHW", List.of(t(F32, "batch", 3, 4, 4), t(F32, 3), t(F32, 3)), Attrs.EMPTY, t(F32, "batch", 3, 4, 4));
    valid("NCL, f64", List.of(t(F64, 2, 3, 5), t(F64, 3), t(F64, 3)), Attrs.of("epsilon", 1e-3), t(F64, 2, 3, 5));
    valid("NCDHW", List.of(t(F32, 2, 2, 3, 2, 2), t(F32, 2), t(F32, 2)), Attrs.EMPTY, t(F32, 2, 2, 3, 2, 2));
    valid("symbolic spatial dims", List.of(t(F32, "batch", 2, "h", "w"), t(F32, 2), t(F32, 2)), Attrs.EMPTY,
        t(F32, "batch", 2, "h", "w"));
    invalid("channel mismatch", List.of(t(F32, 2, 3, 4), t(F32, 4), t(F32, 3)), Attrs.EMPTY,
        "input scale length vs channels of x f32[2, 3, 4]: 4 vs 3");
    invalid("bias channel mismatch", List.of(t(F32, 2, 3, 4), t(F32, 3), t(F32, 2)), Attrs.EMPTY,
        "input bias length vs channels of x");
    invalid("no spatial axis", List.of(t(F32, 2, 3), t(F32, 3), t(F32, 3)), Attrs.EMPTY,
        "input x (N, C, D1, ...) must have rank >= 3, got f32[2, 3]");
    invalid("scale not a vector", List.of(t(F32, 2, 3, 4), t(F32, 3, 1), t(F32, 3)), Attrs.EMPTY, "input scale must have rank 1");
    invalid("integer x", List.of(t(I32, 2, 3, 4), t(I32, 3), t(I32, 3)), Attrs.EMPTY, "input x must be a floating-point tensor");
    invalid("dtype mix", List.of(t(F32, 2, 3, 4), t(F32, 3), t(F64, 3)), Attrs.EMPTY, "input bias must be f32 like x");
    invalid("negative epsilon", List.of(t(F32, 2, 3, 4), t(F32, 3), t(F32, 3)), Attrs.of("epsilon", -1.0), "epsilon must be >= 0");
    onnxData("test_instancenorm_example", op(Attrs.EMPTY));
    // ONNX stores the attribute as a float: 1e-2 rounded to f32.
    onnxData("test_instancenorm_epsilon", op(Attrs.of("epsilon", (double) 0.01f)));
    // x (1, 2, 2): channel 0 [1, 3]: mean 2, variance 1, xhat [-1, 1], scale 2: [-2, 2]; channel 1 [5, 5]: variance 0,
    // xhat [0, 0], y = bias 10. Epsilon 1e-12 rather than 0 (the channel [5, 5] would divide 0 by 0): sqrt(1 + 1e-12)
    // is 1 in f32, and 0 / 1e-6 is 0.
    numeric("hand values, per channel", List.of(HostTensor.ofFloats(new float[] {1, 3, 5, 5}, 1, 2, 2),
            HostTensor.ofFloats(new float[] {2, 1}, 2), HostTensor.ofFloats(new float[] {0, 10}, 2)), op(Attrs.of("epsilon", 1e-12)),
        List.of(HostTensor.ofFloats(new float[] {-2, 2, 10, 10}, 1, 2, 2)));
    // x (2, 1, 1, 2): statistics per sample, not over the batch. Sample 0 [0, 4]: mean 2, variance 4, xhat [-1, 1];
    // sample 1 [10, 12]: mean 11, variance 1, xhat [-1, 1]; scale 3, bias 1: [-2, 4] for both. Epsilon 0: exact.
    numeric("hand values, per sample", List.of(HostTensor.ofFloats(new float[] {0, 4, 10, 12}, 2, 1, 1, 2),
            HostTensor.ofFloats(new float[] {3}, 1), HostTensor.ofFloats(new float[] {1}, 1)), op(Attrs.of("epsilon", 0.0)),
        List.of(HostTensor.ofFloats(new float[] {-2, 4, -2, 4}, 2, 1, 1, 2)));
    // The same per-channel values in f64 (ONNX Runtime runs the f64 lowering in primitives).
    numeric("hand values, f64", List.of(HostTensor.ofDoubles(new double[] {1, 3, 5, 5}, 1, 2, 2),
            HostTensor.ofDoubles(new double[] {2, 1}, 2), HostTensor.ofDoubles(new double[] {0, 10}, 2)), op(Attrs.of("epsilon", 1e-12)),
        List.of(HostTensor.ofDoubles(new double[] {-2, 2, 10, 10}, 1, 2, 2)));
  }

  /** Smooth wherever a channel's variance plus epsilon is positive, which random inputs over 3+ spatial elements give. */
  @Override public boolean smooth() { return true; }
}
