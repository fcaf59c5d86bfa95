package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SegmentMaxCases extends OpCases {
  @Override protected void define() {
    valid("messages into nodes", List.of(t(F32, "edges", 4), t(I64, "edges"), t(F32, 16, 3)), Attrs.EMPTY, t(F32, 16, 4));
    valid("rows into 16 nodes", List.of(t(F32, 6, 3), t(I64, 6), t(F32, 16, 5)), Attrs.EMPTY, t(F32, 16, 3));
    valid("vector, i32 ids", List.of(t(F64, 7), t(I32, 7), t(F64, 16)), Attrs.EMPTY, t(F64, 16));
    valid("heads", List.of(t(F64, 5, 2, 3), t(I64, 5), t(F64, 16, 1)), Attrs.EMPTY, t(F64, 16, 2, 3));
    invalid("integer data", List.of(t(I32, 5, 3), t(I64, 5), t(F32, 16, 3)), Attrs.EMPTY, "input data");
    invalid("2-d ids", List.of(t(F32, 5, 3), t(I64, 5, 2), t(F32, 16, 3)), Attrs.EMPTY, "input segment_ids must have rank 1");
    // Node 2: max of rows 0 and 2 (negative values: the max is not against an initial 0); node 1: empty, 0.
    numeric("maxima, empty segment 0", List.of(HostTensor.ofFloats(new float[] {-1, -2, 3, 4, -5, -0.5f, 7, -8}, 4, 2),
            HostTensor.ofLongs(new long[] {2, 0, -1, 0}, 4), HostTensor.ofFloats(new float[3], 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {7, 4, 0, 0, -1, -0.5f}, 3, 2)));
  }
}
