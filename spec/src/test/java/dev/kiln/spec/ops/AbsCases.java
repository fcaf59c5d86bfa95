package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class AbsCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("integers", List.of(t(I64, 4)), Attrs.EMPTY, t(I64, 4));
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_abs", op(Attrs.EMPTY));
    numeric("int64", List.of(HostTensor.ofLongs(new long[] {-3, 0, 5, -(1L << 40)}, 4)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {3, 0, 5, 1L << 40}, 4)));
  }
}
