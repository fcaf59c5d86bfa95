package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class TileCases extends OpCases {
  private static Attrs reps(long... r) { return Attrs.of("repeats", r); }

  @Override protected void define() {
    valid("2-D", List.of(t(F32, 2, 3)), reps(2, 1), t(F32, 4, 3));
    valid("symbolic kept at 1", List.of(t(F32, "batch", 3)), reps(1, 3), t(F32, "batch", 9));
    valid("symbolic repeated", List.of(t(F32, "batch", 3)), reps(2, 1), t(F32, Dim.unknown(), 3));
    invalid("wrong length", List.of(t(F32, 2, 3)), reps(2), "must have one entry per axis");
    invalid("negative", List.of(t(F32, 2)), reps(-1), "must be >= 0");
    onnxData("test_tile_precomputed", new int[] {0}, (g, in, data) -> List.of(Ops.tile(g, in.get(0), reps(data.get(1).toLongs()))));
    onnxData("test_tile", new int[] {0}, (g, in, data) -> List.of(Ops.tile(g, in.get(0), reps(data.get(1).toLongs()))));
    numeric("by hand", List.of(HostTensor.ofFloats(new float[] {1, 2}, 1, 2)), op(reps(2, 2)),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 1, 2, 1, 2, 1, 2}, 2, 4)));
  }

  @Override public boolean smooth() { return true; }
}
