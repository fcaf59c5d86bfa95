package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.util.List;

class LoopCases extends OpCases {
  /** (i, cond, y, w) -> (cond, y * w + i, y): a carried value, a captured weight, a scan output of the old y. */
  static Graph affineBody(TensorType y) {
    return IfCases.branch("loop_body", List.of(t(I64), t(BOOL), y, y), (g, in) -> {
      Value i = Ops.cast(g, in.get(0), y.dtype());
      Value next = Ops.add(g, Ops.mul(g, in.get(2), in.get(3)), i);
      return List.of(Ops.identity(g, in.get(1)), next, Ops.identity(g, in.get(2)));
    });
  }

  // Random trip counts are not valid inputs (a random i64 could loop for ever): data and numeric cases only.
  @Override public boolean randomInputsValid() { return false; }

  @Override protected void define() {
    TensorType y = t(F32, 2);
    Attrs affine = Attrs.of("body", affineBody(y), "captures", 1L);
    valid("carried, captured, scanned", List.of(t(I64), t(BOOL), y, y), affine, y, t(F32, dev.kiln.spec.Dim.unknown(), 2));
    invalid("trip count not i64", List.of(t(F32), t(BOOL), y, y), affine, "input trip_count must be a i64 scalar");
    invalid("more captures than values", List.of(t(I64), t(BOOL), y), Attrs.of("body", affineBody(y), "captures", 2L),
        "captures = 2 but the node has 1 values");
    Graph grows = IfCases.branch("loop_body", List.of(t(I64), t(BOOL), y), (g, in) ->
        List.of(in.get(1), Ops.concat(g, List.of(in.get(2), in.get(2)), 0)));
    invalid("carried value changes shape", List.of(t(I64), t(BOOL), y), Attrs.of("body", grows),
        "carried value 0 is f32[2] initially and f32[4] after the body");
    Graph noCond = IfCases.branch("loop_body", List.of(t(I64), t(BOOL), y), (g, in) -> List.of(in.get(2), in.get(2)));
    invalid("body gives no condition", List.of(t(I64), t(BOOL), y), Attrs.of("body", noCond),
        "input body output 0 (cond) must be a bool scalar, got f32[2]");
    HostTensor y0 = HostTensor.ofFloats(new float[] {1, -1}, 2);
    HostTensor w = HostTensor.ofFloats(new float[] {2, 3}, 2);
    // y: [1,-1] -> [2,-3] (+0) -> [5,-8] (+1) -> [12,-22] (+2)
    numeric("three iterations", List.of(HostTensor.ofLongs(new long[] {3}), HostTensor.ofBooleans(new boolean[] {true}), y0, w),
        op(affine), List.of(HostTensor.ofFloats(new float[] {12, -22}, 2),
            HostTensor.ofFloats(new float[] {1, -1, 2, -3, 5, -8}, 3, 2)));
  }
}
