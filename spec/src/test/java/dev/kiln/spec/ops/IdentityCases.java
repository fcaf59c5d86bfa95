package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class IdentityCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 2)), Attrs.EMPTY, t(F32, "batch", 2));
    invalid("two inputs", List.of(t(F32, 1), t(F32, 1)), Attrs.EMPTY, "takes 1 inputs");
    onnxData("test_identity", op(Attrs.EMPTY));
  }

  @Override public boolean smooth() { return true; }
}
