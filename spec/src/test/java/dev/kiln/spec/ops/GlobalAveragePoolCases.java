package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GlobalAveragePoolCases extends OpCases {
  @Override protected void define() {
    valid("2-d", List.of(t(F32, "batch", 16, 7, 7)), Attrs.EMPTY, t(F32, "batch", 16, 1, 1));
    valid("1-d dynamic length", List.of(t(F32, 2, 3, "len")), Attrs.EMPTY, t(F32, 2, 3, 1));
    invalid("no spatial axes", List.of(t(F32, 2, 3)), Attrs.EMPTY, "1 to 3 spatial axes");
    onnxData("test_globalaveragepool", op(Attrs.EMPTY));
    onnxData("test_globalaveragepool_precomputed", op(Attrs.EMPTY));
    numeric("by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 6, -1, -2, -3, -6}, 1, 2, 2, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {3, -3}, 1, 2, 1, 1)));
  }
}
