package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = the boxes greedy non-maximum suppression keeps, as rows [batch, class, box index] (i64, a row count known
 * only at run time), for each batch entry and class in turn: boxes in decreasing score order, those scoring at or
 * below {@code score_threshold} dropped, each dropping the later ones that overlap it with IoU above
 * {@code iou_threshold}, at most {@code max_output_boxes_per_class} per class (absent: none). boxes [B, n, 4] are
 * corners (any diagonal pair) or, with {@code center_point_box} 1, [x centre, y centre, width, height]; scores
 * [B, C, n]. ONNX NonMaxSuppression-11; on TF one NonMaxSuppressionV3 per batch entry and class (static B and C).
 */
public final class NonMaxSuppression extends Op {
  @Override public String summary() { return "y = [batch, class, box] rows kept by non-maximum suppression (run-time count)"; }

  @Override public Signature signature() {
    return Signature.inputs("boxes", "scores", "max_output_boxes_per_class", "iou_threshold", "score_threshold").optionalFrom(2)
        .attr("center_point_box", AttrKind.INT, 0L, "0: boxes are corners; 1: [x centre, y centre, width, height]");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType boxes = in.get(0);
    TensorType scores = in.get(1);
    if (boxes.dtype() != DType.F32 || boxes.rank() != 3) throw new ShapeException("input boxes must be f32 [batch, boxes, 4], got " + boxes);
    if (scores.dtype() != DType.F32 || scores.rank() != 3) throw new ShapeException("input scores must be f32 [batch, classes, boxes], got " + scores);
    TypeRules.unify("input boxes must have 4 coordinates per box, axis 2", boxes.shape().dim(2), Dim.of(4));
    TypeRules.unify("inputs boxes " + boxes.shape() + " and scores " + scores.shape() + " must agree on the batch", boxes.shape().dim(0), scores.shape().dim(0));
    TypeRules.unify("inputs boxes " + boxes.shape() + " and scores " + scores.shape() + " must agree on the box count", boxes.shape().dim(1), scores.shape().dim(2));
    String[] names = {"max_output_boxes_per_class", "iou_threshold", "score_threshold"};
    DType[] types = {DType.I64, DType.F32, DType.F32};
    for (int i = 2; i < in.size(); i++) {
      TensorType t = in.get(i);
      if (t == null) continue;
      if (t.dtype() != types[i - 2] || t.rank() > 1 || (t.rank() == 1 && !t.shape().dim(0).is(1))) {
        throw new ShapeException("input " + names[i - 2] + " must be a " + types[i - 2] + " scalar or [1], got " + t);
      }
    }
    long center = a.getLong("center_point_box");
    if (center != 0 && center != 1) throw new ShapeException("attribute center_point_box must be 0 or 1, got " + center);
    return List.of(new TensorType(DType.I64, Shape.of(Dim.unknown(), Dim.of(3))));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("NonMaxSuppression", 11).attr("center_point_box")); }

  @Override public TfLowering tf() { return TfLowering.custom("NonMaxSuppressionV3"); }

  /** The output is indices. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
