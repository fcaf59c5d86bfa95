package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicTileCases extends OpCases {
  @Override protected void define() {
    valid("2-D", List.of(t(F32, 2, 3), t(I64, 2)), Attrs.EMPTY, t(F32, Dim.unknown(), Dim.unknown()));
    invalid("wrong length", List.of(t(F32, 2, 3), t(I64, 3)), Attrs.EMPTY, "input repeats has 3 entries");
    onnxData("test_tile", op(Attrs.EMPTY));
    onnxData("test_tile_precomputed", op(Attrs.EMPTY));
    numeric("by hand", List.of(HostTensor.ofFloats(new float[] {1, 2}, 2), HostTensor.ofLongs(new long[] {3}, 1)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 1, 2, 1, 2}, 6)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
