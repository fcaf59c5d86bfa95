package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicSqueezeCases extends OpCases {
  @Override protected void define() {
    Dim u = Dim.unknown();
    valid("one axis", List.of(t(F32, 1, 3, 1), t(I64, 1)), Attrs.EMPTY, t(F32, u, u));
    invalid("too many axes", List.of(t(F32, 1), t(I64, 2)), Attrs.EMPTY, "more than x's rank 1");
    onnxData("test_squeeze", op(Attrs.EMPTY));
    onnxData("test_squeeze_negative_axes", op(Attrs.EMPTY));
    numeric("first and last", List.of(HostTensor.ofFloats(new float[] {1, 2, 3}, 1, 3, 1), HostTensor.ofLongs(new long[] {0, -1}, 2)),
        op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 2, 3}, 3)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
