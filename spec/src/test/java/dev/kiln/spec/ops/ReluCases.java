package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.BOOL;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReluCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_relu", op(Attrs.EMPTY));
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {-1, 0, 2.5f}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {0, 0, 2.5f}, 3)));
  }
}
