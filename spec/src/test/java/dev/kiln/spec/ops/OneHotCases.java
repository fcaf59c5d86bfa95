package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class OneHotCases extends OpCases {
  @Override protected void define() {
    valid("last axis", List.of(t(I64, "batch")), Attrs.of("depth", 5L), t(F32, "batch", 5));
    valid("axis 0", List.of(t(I32, 2, 3)), Attrs.of("depth", 4L, "axis", 0L), t(F32, 4, 2, 3));
    valid("i64 output", List.of(t(I64, 3)), Attrs.of("depth", 2L, "dtype", I64), t(I64, 3, 2));
    invalid("float indices", List.of(t(F32, 3)), Attrs.of("depth", 2L), "input indices must be i32 or i64");
    invalid("bad depth", List.of(t(I64, 3)), Attrs.of("depth", 0L), "depth must be >= 1");
    invalid("bad axis", List.of(t(I64, 3)), Attrs.of("depth", 2L, "axis", 2L), "axis must be in [-2, 1]");
    numeric("labels", List.of(HostTensor.ofLongs(new long[] {2, 0, 1}, 3)), op(Attrs.of("depth", 3L)),
        List.of(HostTensor.ofFloats(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, 3, 3)));
    numeric("axis 0 i32", List.of(HostTensor.ofInts(new int[] {1, 0}, 2)), op(Attrs.of("depth", 2L, "axis", 0L)),
        List.of(HostTensor.ofFloats(new float[] {0, 1, 1, 0}, 2, 2)));
    numeric("negative counts from the end", List.of(HostTensor.ofLongs(new long[] {-1, 0}, 2)), op(Attrs.of("depth", 3L)),
        List.of(HostTensor.ofFloats(new float[] {0, 0, 1, 1, 0, 0}, 2, 3)));
    numeric("f64 output", List.of(HostTensor.ofLongs(new long[] {1}, 1)), op(Attrs.of("depth", 2L, "dtype", F64)),
        List.of(HostTensor.ofDoubles(new double[] {0, 1}, 1, 2)));
  }
}
