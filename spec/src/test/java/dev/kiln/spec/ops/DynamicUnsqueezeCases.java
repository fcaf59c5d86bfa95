package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicUnsqueezeCases extends OpCases {
  @Override protected void define() {
    Dim u = Dim.unknown();
    valid("two axes", List.of(t(F32, 3, 4), t(I64, 2)), Attrs.EMPTY, t(F32, u, u, u, u));
    invalid("2-D axes", List.of(t(F32, 3), t(I64, 1, 1)), Attrs.EMPTY, "input axes must be 1-D");
    for (String s : List.of("axis_0", "axis_1", "axis_2", "negative_axes", "three_axes", "two_axes", "unsorted_axes")) {
      onnxData("test_unsqueeze_" + s, op(Attrs.EMPTY));
    }
    numeric("middle and end", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), HostTensor.ofLongs(new long[] {-1, 1}, 2)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 1, 3, 1)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
