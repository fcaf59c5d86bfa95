package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SegmentSumCases extends OpCases {
  @Override protected void define() {
    // like has >= 16 rows: the agreement check's random ids (rounded normals x3) stay in [-n, n).
    valid("messages into nodes", List.of(t(F32, "edges", 4), t(I64, "edges"), t(F32, 16, 3)), Attrs.EMPTY, t(F32, 16, 4));
    valid("rows into 16 nodes", List.of(t(F32, 6, 3), t(I64, 6), t(F32, 16, 5)), Attrs.EMPTY, t(F32, 16, 3));
    valid("vector, i32 ids", List.of(t(F64, 7), t(I32, 7), t(F64, 16)), Attrs.EMPTY, t(F64, 16));
    valid("heads", List.of(t(F64, 5, 2, 3), t(I64, 5), t(F64, 16, 1)), Attrs.EMPTY, t(F64, 16, 2, 3));
    invalid("ids of another length", List.of(t(F32, 5, 3), t(I64, 4), t(F32, 16, 3)), Attrs.EMPTY,
        "input segment_ids must have one id per row of data [5, 3], axis 0");
    invalid("2-d ids", List.of(t(F32, 5, 3), t(I64, 5, 1), t(F32, 16, 3)), Attrs.EMPTY, "input segment_ids must have rank 1");
    invalid("float ids", List.of(t(F32, 5, 3), t(F32, 5), t(F32, 16, 3)), Attrs.EMPTY, "input segment_ids must be i32 or i64");
    invalid("scalar like", List.of(t(F32, 5, 3), t(I64, 5), t(F32)), Attrs.EMPTY, "input like (its axis 0 is the segment count)");
    // Node 2 gets rows 0 and 2 (id -1 = 2), node 0 rows 1 and 3, node 1 none.
    numeric("repeats add up, empty segment 0", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2),
            HostTensor.ofLongs(new long[] {2, 0, -1, 0}, 4), HostTensor.ofFloats(new float[3], 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {3 + 7, 4 + 8, 0, 0, 1 + 5, 2 + 6}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
