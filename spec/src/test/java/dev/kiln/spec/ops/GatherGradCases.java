package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GatherGradCases extends OpCases {
  @Override protected void define() {
    valid("embedding rows", List.of(t(F32, "batch", 5, 4), t(I64, "batch", 5), t(F32, 16, 4)), Attrs.EMPTY, t(F32, 16, 4));
    valid("axis 1, i32", List.of(t(F32, 2, 4, 3), t(I32, 4), t(F32, 2, 16, 3)), Attrs.of("axis", 1L), t(F32, 2, 16, 3));
    valid("scalar index", List.of(t(F64, 3), t(I64), t(F64, 16, 3)), Attrs.EMPTY, t(F64, 16, 3));
    valid("last axis, 2-d indices", List.of(t(F32, 3, 2, 2), t(I64, 2, 2), t(F32, 3, 16)), Attrs.of("axis", -1L), t(F32, 3, 16));
    invalid("updates of wrong shape", List.of(t(F32, 5, 3), t(I64, 5), t(F32, 16, 4)), Attrs.EMPTY, "input updates must have shape [5, 4]");
    invalid("updates of wrong rank", List.of(t(F32, 5), t(I64, 5), t(F32, 16, 4)), Attrs.EMPTY, "input updates must have shape [5, 4]");
    invalid("dtypes differ", List.of(t(F64, 5, 4), t(I64, 5), t(F32, 16, 4)), Attrs.EMPTY, "input updates has dtype");
    invalid("float indices", List.of(t(F32, 5, 4), t(F32, 5), t(F32, 16, 4)), Attrs.EMPTY, "input indices must be i32 or i64");
    // Rows 2 and -1 (= 2) both get row 0 and row 2 of the updates; row 1 gets none.
    numeric("repeats add up", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2),
            HostTensor.ofLongs(new long[] {2, 0, -1, 0}, 4), HostTensor.ofFloats(new float[6], 3, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {3 + 7, 4 + 8, 0, 0, 1 + 5, 2 + 6}, 3, 2)));
    numeric("columns, 2-d indices", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2),
            HostTensor.ofInts(new int[] {0, 2, 2, 2}, 2, 2), HostTensor.ofFloats(new float[6], 2, 3)), op(Attrs.of("axis", 1L)),
        List.of(HostTensor.ofFloats(new float[] {1, 0, 2 + 3 + 4, 5, 0, 6 + 7 + 8}, 2, 3)));
  }
}
