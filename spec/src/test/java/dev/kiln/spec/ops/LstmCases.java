package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class LstmCases extends OpCases {
  @Override protected void define() {
    valid("sequence-first forward with bias", List.of(t(F32, "seq", "batch", 3), t(F32, 1, 8, 3), t(F32, 1, 8, 2), t(F32, 1, 16)),
        Attrs.EMPTY, t(F32, "seq", 1, "batch", 2), t(F32, 1, "batch", 2), t(F32, 1, "batch", 2));
    valid("batch-first bidirectional with initial states",
        List.of(t(F32, 2, 3, 3), t(F32, 2, 8, 3), t(F32, 2, 8, 2), t(F32, 2, 16), t(F32, 2, 2, 2), t(F32, 2, 2, 2)),
        Attrs.of("direction", "bidirectional", "layout", 1L), t(F32, 2, 3, 2, 2), t(F32, 2, 2, 2), t(F32, 2, 2, 2));
    valid("reverse, no bias", List.of(t(F32, 3, 2, 2), t(F32, 1, 4, 2), t(F32, 1, 4, 1)),
        Attrs.of("direction", "reverse"), t(F32, 3, 1, 2, 1), t(F32, 1, 2, 1), t(F32, 1, 2, 1));
    invalid("w with 3 gates", List.of(t(F32, 5, 2, 3), t(F32, 1, 6, 3), t(F32, 1, 8, 2)), Attrs.EMPTY, "input w must be");
    invalid("w input size", List.of(t(F32, 5, 2, 3), t(F32, 1, 8, 4), t(F32, 1, 8, 2)), Attrs.EMPTY, "axis 2: expected 3, found 4");
    invalid("one direction of weights for bidirectional", List.of(t(F32, 5, 2, 3), t(F32, 1, 8, 3), t(F32, 1, 8, 2)),
        Attrs.of("direction", "bidirectional"), "dirs=2");
    invalid("bad direction", List.of(t(F32, 5, 2, 3), t(F32, 1, 8, 3), t(F32, 1, 8, 2)), Attrs.of("direction", "sideways"),
        "forward, reverse or bidirectional");
    invalid("initial_h batch", List.of(t(F32, 5, 2, 3), t(F32, 1, 8, 3), t(F32, 1, 8, 2), t(F32, 1, 16), t(F32, 1, 3, 2)),
        Attrs.EMPTY, "input initial_h must be");
    // The backend data fetch only Y_h (defaults, bias) or Y and Y_h (batchwise); the op always makes y, y_h, y_c.
    onnxData("test_lstm_defaults", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_lstm_with_initial_bias", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_lstm_batchwise", (g, in) -> g.apply(theOp(), in, Attrs.of("layout", 1L)).subList(0, 2));
  }

  @Override public boolean smooth() { return true; }
}
