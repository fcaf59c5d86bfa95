package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class BroadcastLikeCases extends OpCases {
  @Override protected void define() {
    valid("row to matrix", List.of(t(F32, 1, 3), t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("scalar", List.of(t(F32), t(F32, 2, 3)), Attrs.EMPTY, t(F32, 2, 3));
    valid("leading axes", List.of(t(F32, 3), t(F32, 4, 2, 3)), Attrs.EMPTY, t(F32, 4, 2, 3));
    invalid("not broadcastable", List.of(t(F32, 2), t(F32, 3)), Attrs.EMPTY, "does not broadcast to like's shape [3]");
    invalid("x larger", List.of(t(F32, 2, 3), t(F32, 3)), Attrs.EMPTY, "more axes");
    invalid("static vs symbolic", List.of(t(F32, 4), t(F32, "n")), Attrs.EMPTY, "does not broadcast");
    valid("like's dtype does not matter", List.of(t(F32, 1), t(I64, 2)), Attrs.EMPTY, t(F32, 2));
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 2, 3}, 3, 1), HostTensor.ofFloats(new float[6], 3, 2)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 1, 2, 2, 3, 3}, 3, 2)));
  }

  @Override public boolean smooth() { return true; }
}
