package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GruCases extends OpCases {
  @Override protected void define() {
    valid("sequence-first forward with bias", List.of(t(F32, "seq", "batch", 3), t(F32, 1, 6, 3), t(F32, 1, 6, 2), t(F32, 1, 12)),
        Attrs.EMPTY, t(F32, "seq", 1, "batch", 2), t(F32, 1, "batch", 2));
    valid("batch-first bidirectional, linear before reset, initial state",
        List.of(t(F32, 2, 3, 3), t(F32, 2, 6, 3), t(F32, 2, 6, 2), t(F32, 2, 12), t(F32, 2, 2, 2)),
        Attrs.of("direction", "bidirectional", "layout", 1L, "linear_before_reset", 1L), t(F32, 2, 3, 2, 2), t(F32, 2, 2, 2));
    valid("reverse with initial state", List.of(t(F32, 3, 2, 2), t(F32, 1, 3, 2), t(F32, 1, 3, 1), t(F32, 1, 6), t(F32, 1, 2, 1)),
        Attrs.of("direction", "reverse"), t(F32, 3, 1, 2, 1), t(F32, 1, 2, 1));
    invalid("r with 4 gates", List.of(t(F32, 5, 2, 3), t(F32, 1, 6, 3), t(F32, 1, 8, 2)), Attrs.EMPTY, "input r must be");
    invalid("bias length", List.of(t(F32, 5, 2, 3), t(F32, 1, 6, 3), t(F32, 1, 6, 2), t(F32, 1, 6)), Attrs.EMPTY, "input b must be");
    invalid("linear_before_reset 2", List.of(t(F32, 5, 2, 3), t(F32, 1, 6, 3), t(F32, 1, 6, 2)), Attrs.of("linear_before_reset", 2L),
        "linear_before_reset must be 0 or 1");
    onnxData("test_gru_defaults", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_gru_with_initial_bias", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_gru_seq_length", (g, in) -> List.of(g.apply(theOp(), in, Attrs.EMPTY).get(1)));
    onnxData("test_gru_batchwise", (g, in) -> g.apply(theOp(), in, Attrs.of("layout", 1L)));
  }

  @Override public boolean smooth() { return true; }
}
