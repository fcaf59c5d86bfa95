package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class UniqueCases extends OpCases {
  @Override protected void define() {
    TensorType runTimeCount = new TensorType(I64, Shape.of(Dim.unknown()));
    valid("flattened", List.of(t(F32, 2, 3)), Attrs.EMPTY,
        new TensorType(F32, Shape.of(Dim.unknown())), runTimeCount, t(I64, 6), runTimeCount);
    valid("slices along axis 1", List.of(t(F32, 2, 4, 2)), Attrs.of("flatten", false, "axis", 1L),
        new TensorType(F32, Shape.of(Dim.of(2), Dim.unknown(), Dim.of(2))), runTimeCount, t(I64, 4), runTimeCount);
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("flatten", false, "axis", 2L), "out of range");
    // ONNX's examples (onnx/backend/test/case/node/unique.py).
    onnxData("test_unique_sorted_without_axis", op(Attrs.EMPTY));
    onnxData("test_unique_not_sorted_without_axis", op(Attrs.of("sorted", false)));
    onnxData("test_unique_sorted_with_axis", op(Attrs.of("flatten", false, "axis", 0L)));
    onnxData("test_unique_sorted_with_axis_3d", op(Attrs.of("flatten", false, "axis", 1L)));
    onnxData("test_unique_sorted_with_negative_axis", op(Attrs.of("flatten", false, "axis", -1L)));
    numeric("sorted, hand-computed", List.of(HostTensor.ofFloats(new float[] {2, 1, 1, 3, 4, 3}, 6)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 4), HostTensor.ofLongs(new long[] {1, 0, 3, 4}, 4),
            HostTensor.ofLongs(new long[] {1, 0, 0, 2, 3, 2}, 6), HostTensor.ofLongs(new long[] {2, 1, 2, 1}, 4)));
  }
}
