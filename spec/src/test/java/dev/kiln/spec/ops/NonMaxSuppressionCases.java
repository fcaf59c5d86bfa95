package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.DType;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class NonMaxSuppressionCases extends OpCases {
  private static final TensorType OUT = new TensorType(DType.I64, Shape.of(Dim.unknown(), Dim.of(3)));

  @Override protected void define() {
    valid("all inputs", List.of(t(F32, 2, 6, 4), t(F32, 2, 3, 6), t(I64, 1), t(F32, 1), t(F32)), Attrs.EMPTY, OUT);
    valid("boxes and scores only", List.of(t(F32, 1, 5, 4), t(F32, 1, 1, 5)), Attrs.of("center_point_box", 1L), OUT);
    invalid("3 coordinates", List.of(t(F32, 1, 5, 3), t(F32, 1, 1, 5)), Attrs.EMPTY, "4 coordinates per box");
    invalid("box counts differ", List.of(t(F32, 1, 5, 4), t(F32, 1, 1, 6)), Attrs.EMPTY, "must agree on the box count");
    invalid("batches differ", List.of(t(F32, 2, 5, 4), t(F32, 1, 1, 5)), Attrs.EMPTY, "must agree on the batch");
    invalid("f32 max count", List.of(t(F32, 1, 5, 4), t(F32, 1, 1, 5), t(F32, 1)), Attrs.EMPTY, "input max_output_boxes_per_class must be a i64 scalar or [1]");
    invalid("center_point_box 2", List.of(t(F32, 1, 5, 4), t(F32, 1, 1, 5)), Attrs.of("center_point_box", 2L), "must be 0 or 1");
    for (String name : new String[] {"flipped_coordinates", "identical_boxes", "limit_output_size", "single_box",
        "suppress_by_IOU", "suppress_by_IOU_and_scores", "two_batches", "two_classes"}) {
      onnxData("test_nonmaxsuppression_" + name, op(Attrs.EMPTY));
    }
    onnxData("test_nonmaxsuppression_center_point_box_format", op(Attrs.of("center_point_box", 1L)));
  }
}
