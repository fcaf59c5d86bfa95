package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReverseSequenceCases extends OpCases {
  @Override protected void define() {
    valid("time first (defaults)", List.of(t(F32, 5, "batch", 3), t(I64, "batch")), Attrs.EMPTY, t(F32, 5, "batch", 3));
    valid("batch first", List.of(t(F32, 2, 4), t(I64, 2)), Attrs.of("batch_axis", 0L, "time_axis", 1L), t(F32, 2, 4));
    invalid("same axes", List.of(t(F32, 2, 4), t(I64, 2)), Attrs.of("batch_axis", 0L, "time_axis", 0L), "must be 0 and 1 in some order");
    invalid("axis 2", List.of(t(F32, 2, 4, 3), t(I64, 2)), Attrs.of("batch_axis", 0L, "time_axis", 2L), "must be 0 and 1 in some order");
    invalid("int32 lengths", List.of(t(F32, 2, 4), t(I32, 4)), Attrs.EMPTY, "input lengths must be an i64 vector");
    invalid("lengths of another batch", List.of(t(F32, 2, 4), t(I64, 3)), Attrs.EMPTY, "one entry per batch entry");
    invalid("rank 1", List.of(t(F32, 4), t(I64, 4)), Attrs.EMPTY, "input x must have rank >= 2");
    onnxData("test_reversesequence_batch", op(Attrs.of("batch_axis", 0L, "time_axis", 1L)));
    onnxData("test_reversesequence_time", op(Attrs.of("batch_axis", 1L, "time_axis", 0L)));
    // Batch first, lengths 3, 0 and 2 over 3 steps of 2 features: whole, untouched, first two swapped.
    HostTensor x = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 3, 3, 2);
    numeric("batch first, lengths 3 0 2", List.of(x, HostTensor.ofLongs(new long[] {3, 0, 2}, 3)),
        op(Attrs.of("batch_axis", 0L, "time_axis", 1L)),
        List.of(HostTensor.ofFloats(new float[] {5, 6, 3, 4, 1, 2, 7, 8, 9, 10, 11, 12, 15, 16, 13, 14, 17, 18}, 3, 3, 2)));
  }

  /** NOTE: random lengths would lie outside [0, time steps]; the data and numeric cases run on both back ends. */
  @Override public boolean randomInputsValid() { return false; }

  @Override public boolean smooth() { return true; }
}
