package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicReshapeCases extends OpCases {
  @Override protected void define() {
    valid("rank from the shape's length", List.of(t(F32, 2, 3, 4), t(I64, 2)), Attrs.EMPTY, t(F32, Dim.unknown(), Dim.unknown()));
    valid("symbolic input", List.of(t(F32, "batch", 4), t(I64, 3)), Attrs.EMPTY,
        t(F32, Dim.unknown(), Dim.unknown(), Dim.unknown()));
    invalid("i32 shape", List.of(t(F32, 6), t(dev.kiln.spec.DType.I32, 2)), Attrs.EMPTY, "input shape must be i64");
    invalid("2-D shape", List.of(t(F32, 6), t(I64, 1, 2)), Attrs.EMPTY, "input shape must be 1-D");
    invalid("shape of unknown length", List.of(t(F32, 6), t(I64, "n")), Attrs.EMPTY, "must have a static length");
    for (String test : List.of("extended_dims", "negative_dim", "negative_extended_dims", "one_dim", "reduced_dims",
        "reordered_all_dims", "reordered_last_dims", "zero_and_negative_dim", "zero_dim")) {
      onnxData("test_reshape_" + test, op(Attrs.EMPTY));
    }
    // test_reshape_allowzero_reordered needs allowzero=1 (0 as a real size), which the IR does not model.
    numeric("0 copies, -1 inferred", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3),
            HostTensor.ofLongs(new long[] {0, -1}, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 1, 6)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
