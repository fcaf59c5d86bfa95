package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SoftmaxCrossEntropyCases extends OpCases {
  @Override protected void define() {
    valid("i64 labels", List.of(t(F32, "batch", 10), t(I64, "batch")), Attrs.EMPTY, t(F32, "batch"), t(F32, "batch", 10));
    valid("i32 labels, f64", List.of(t(F64, 4, 3), t(I32, 4)), Attrs.EMPTY, t(F64, 4), t(F64, 4, 3));
    invalid("float labels", List.of(t(F32, 4, 3), t(F32, 4)), Attrs.EMPTY, "input labels must be i32 or i64");
    invalid("integer logits", List.of(t(I64, 4, 3), t(I64, 4)), Attrs.EMPTY, "float");
    invalid("rank 3 logits", List.of(t(F32, 4, 3, 2), t(I64, 4)), Attrs.EMPTY, "rank");
    invalid("one-hot labels", List.of(t(F32, 4, 3), t(I64, 4, 3)), Attrs.EMPTY, "rank");
    invalid("batch mismatch", List.of(t(F32, 4, 3), t(I64, 5)), Attrs.EMPTY, "input labels has 5 examples but logits has 4");
    invalid("dynamic classes", List.of(t(F32, 4, "classes"), t(I64, 4)), Attrs.EMPTY, "static class count");
    // Row 0: logits (0, 0), label 1: softmax (1/2, 1/2), loss ln 2, dlogits (1/2, -1/2).
    // Row 1: logits (0, ln 3), label 0: softmax (1/4, 3/4), loss ln 4, dlogits (-3/4, 3/4).
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {0, 0, 0, (float) Math.log(3)}, 2, 2),
            HostTensor.ofLongs(new long[] {1, 0}, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {(float) Math.log(2), (float) Math.log(4)}, 2),
            HostTensor.ofFloats(new float[] {0.5f, -0.5f, -0.75f, 0.75f}, 2, 2)));
    // Logits (1, 2, 3), label 2 (i32), f64: softmax e^k / (e + e^2 + e^3), loss -ln p2 = ln(1 + e^-1 + e^-2).
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    numeric("three classes, f64", List.of(HostTensor.ofDoubles(new double[] {1, 2, 3}, 1, 3), HostTensor.ofInts(new int[] {2}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofDoubles(new double[] {Math.log(1 + Math.exp(-1) + Math.exp(-2))}, 1),
            HostTensor.ofDoubles(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1}, 1, 3)), 1e-9);
    // Large logits: the max-shifted form stays finite (a naive exp overflows at 1000).
    numeric("large logits", List.of(HostTensor.ofFloats(new float[] {1000, 0}, 1, 2), HostTensor.ofLongs(new long[] {1}, 1)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1000}, 1), HostTensor.ofFloats(new float[] {1, -1}, 1, 2)));
  }

  @Override public boolean smooth() { return true; }

  /** Random int64 labels fall outside [0, classes), which TF's kernel rejects; the numeric cases run on both back ends. */
  @Override public boolean randomInputsValid() { return false; }
}
