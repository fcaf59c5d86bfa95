package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SegmentMeanCases extends OpCases {
  @Override protected void define() {
    valid("messages into nodes", List.of(t(F32, "edges", 4), t(I64, "edges"), t(F32, 16, 3)), Attrs.EMPTY, t(F32, 16, 4));
    valid("rows into 16 nodes", List.of(t(F32, 6, 3), t(I64, 6), t(F32, 16, 5)), Attrs.EMPTY, t(F32, 16, 3));
    valid("vector, i32 ids", List.of(t(F64, 7), t(I32, 7), t(F64, 16)), Attrs.EMPTY, t(F64, 16));
    valid("heads", List.of(t(F64, 5, 2, 3), t(I64, 5), t(F64, 16, 1)), Attrs.EMPTY, t(F64, 16, 2, 3));
    invalid("integer data", List.of(t(I64, 5, 3), t(I64, 5), t(F32, 16, 3)), Attrs.EMPTY, "input data");
    invalid("ids of another length", List.of(t(F32, 5, 3), t(I64, 4), t(F32, 16, 3)), Attrs.EMPTY,
        "input segment_ids must have one id per row of data");
    // Node 2: mean of rows 0 and 2; node 0: mean of rows 1 and 3; node 1: empty, 0.
    numeric("means, empty segment 0", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2),
            HostTensor.ofLongs(new long[] {2, 0, -1, 0}, 4), HostTensor.ofFloats(new float[3], 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {5, 6, 0, 0, 3, 4}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
