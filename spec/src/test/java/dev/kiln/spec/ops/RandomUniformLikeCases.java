package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/**
 * Type cases only: the values are random, so no back end can be checked against fixed numbers or against the
 * other back end. The draws are checked by distribution instead (moments of a large draw, the bounds, seeds
 * honoured) on both back ends in runtime/tensorflow's {@code RandomOpsDistributionTest}, and the ONNX suite's
 * random cases by the conformance suite's distribution rule.
 */
class RandomUniformLikeCases extends OpCases {
  @Override protected void define() {
    valid("like f32", List.of(t(F32, "batch", 3)), Attrs.of("dtype", F32), t(F32, "batch", 3));
    valid("f64 like an i64 tensor, seeded", List.of(t(I64, 2, 2)), Attrs.of("dtype", F64, "seeded", true, "seed", 3.0, "low", -1.0, "high", 2.0), t(F64, 2, 2));
    invalid("integer dtype", List.of(t(F32, 2)), Attrs.of("dtype", I64), "floating");
    // A narrow interval pins the values whatever the generator: checks low/high scaling, shape and dtype on each back end.
    numeric("narrow interval [2, 2 + 1e-6)", List.of(HostTensor.ofFloats(new float[] {7, -1, 0, 3, 5, 9}, 2, 3)),
        op(Attrs.of("dtype", F32, "low", 2.0, "high", 2.000001)),
        List.of(HostTensor.ofFloats(new float[] {2, 2, 2, 2, 2, 2}, 2, 3)), 1e-5);
    invalid("empty interval", List.of(t(F32, 2)), Attrs.of("dtype", F32, "low", 1.0, "high", 1.0), "low < high");
  }

  /** Random inputs are fine, but the outputs are random too: the TF-vs-ONNX Runtime value check cannot apply. */
  @Override public boolean randomInputsValid() { return false; }
}
