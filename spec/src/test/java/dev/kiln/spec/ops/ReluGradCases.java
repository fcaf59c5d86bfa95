package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReluGradCases extends OpCases {
  @Override protected void define() {
    valid("same shape", List.of(t(F32, "batch", 3), t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    invalid("shapes differ", List.of(t(F32, 2, 3), t(F32, 3)), Attrs.EMPTY, "input gy must have x's shape");
    invalid("dtypes differ", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "dtype");
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {-1, 0, 2.5f, 3}, 4),
            HostTensor.ofFloats(new float[] {10, 20, 30, Float.POSITIVE_INFINITY}, 4)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {0, 0, 30, Float.POSITIVE_INFINITY}, 4)));
  }
}
