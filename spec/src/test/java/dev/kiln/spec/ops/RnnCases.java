package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class RnnCases extends OpCases {
  @Override protected void define() {
    valid("sequence-first forward with bias", List.of(t(F32, "seq", "batch", 3), t(F32, 1, 2, 3), t(F32, 1, 2, 2), t(F32, 1, 4)),
        Attrs.EMPTY, t(F32, "seq", 1, "batch", 2), t(F32, 1, "batch", 2));
    valid("batch-first bidirectional with initial state",
        List.of(t(F32, 2, 3, 3), t(F32, 2, 2, 3), t(F32, 2, 2, 2), t(F32, 2, 4), t(F32, 2, 2, 2)),
        Attrs.of("direction", "bidirectional", "layout", 1L), t(F32, 2, 3, 2, 2), t(F32, 2, 2, 2));
    invalid("x rank 2", List.of(t(F32, 5, 3), t(F32, 1, 2, 3), t(F32, 1, 2, 2)), Attrs.EMPTY, "input x");
    invalid("layout 2", List.of(t(F32, 5, 2, 3), t(F32, 1, 2, 3), t(F32, 1, 2, 2)), Attrs.of("layout", 2L), "layout must be 0 or 1");
    onnxData("test_simple_rnn_defaults", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_simple_rnn_with_initial_bias", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_rnn_seq_length", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_simple_rnn_batchwise", (g, in) -> g.apply(theOp(), in, Attrs.of("layout", 1L)));
  }

  @Override public boolean smooth() { return true; }
}
