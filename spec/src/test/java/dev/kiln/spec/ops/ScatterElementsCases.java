package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ScatterElementsCases extends OpCases {
  @Override protected void define() {
    // add (not none) so that repeated random indices give one defined result; the addressed axis has >= 16 entries.
    valid("axis 1, add", List.of(t(F32, 2, 16), t(I64, 2, 3), t(F32, 2, 3)), Attrs.of("axis", 1L, "reduction", "add"), t(F32, 2, 16));
    valid("axis 0, i32 indices, add", List.of(t(F32, 16, 2), t(I32, 3, 2), t(F32, 3, 2)), Attrs.of("reduction", "add"), t(F32, 16, 2));
    invalid("rank mismatch", List.of(t(F32, 4, 4), t(I64, 4), t(F32, 4)), Attrs.EMPTY, "input indices must have data's rank 2");
    invalid("updates shape", List.of(t(F32, 4, 4), t(I64, 1, 2), t(F32, 2, 1)), Attrs.EMPTY, "input updates must have the shape of indices");
    invalid("axis out of range", List.of(t(F32, 4), t(I64, 2), t(F32, 2)), Attrs.of("axis", 1L), "attribute axis 1 is out of range");
    onnxData("test_scatter_elements_with_axis", op(Attrs.of("axis", 1L)));
    onnxData("test_scatter_elements_with_duplicate_indices", op(Attrs.of("axis", 1L, "reduction", "add")));
    onnxData("test_scatter_elements_with_negative_indices", op(Attrs.of("axis", 1L)));
    onnxData("test_scatter_elements_without_axis", op(Attrs.EMPTY));
    HostTensor d = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    numeric("axis 1 with a negative index", List.of(d, HostTensor.ofLongs(new long[] {-1, 0}, 2, 1), HostTensor.ofFloats(new float[] {9, 8}, 2, 1)),
        op(Attrs.of("axis", 1L)), List.of(HostTensor.ofFloats(new float[] {1, 2, 9, 8, 5, 6}, 2, 3)));
    numeric("axis 0, add", List.of(d, HostTensor.ofLongs(new long[] {1, 1, 1, 1, 0, 1}, 2, 3), HostTensor.ofFloats(new float[] {1, 1, 1, 1, 1, 1}, 2, 3)),
        op(Attrs.of("reduction", "add")), List.of(HostTensor.ofFloats(new float[] {1, 3, 3, 6, 6, 8}, 2, 3)));
  }
}
