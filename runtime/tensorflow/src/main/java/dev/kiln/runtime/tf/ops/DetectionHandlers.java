package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** TF handlers of the detection ops and their run-time-sized companions: NonMaxSuppression, NonZero. */
final class DetectionHandlers {
  private DetectionHandlers() {}

  /**
   * ONNX NonMaxSuppression as one TF NonMaxSuppressionV3 (one batch entry, one class: selection order, IoU above
   * the threshold suppresses, scores at or below the threshold dropped) per batch entry and class, each result
   * prefixed with its batch and class, all concatenated in batch-then-class order. Centre boxes become corners
   * first; TF takes any diagonal pair of corners, and IoU does not depend on which axis is x.
   */
  static List<Object> nonMaxSuppression(TfEmitter e) {
    Node n = e.node();
    Shape boxesShape = n.input(0).type().shape();
    Shape scoresShape = n.input(1).type().shape();
    if (!boxesShape.dim(0).isStatic() || !scoresShape.dim(1).isStatic()) {
      throw new UnsupportedOpException("NonMaxSuppression on TensorFlow needs a static batch and class count, got boxes "
          + boxesShape + " and scores " + scoresShape);
    }
    long batches = boxesShape.dim(0).size();
    long classes = scoresShape.dim(1).size();
    Object boxes = e.input(0);
    if (n.attrs().getLong("center_point_box") == 1) boxes = corners(e, boxes);
    Object maxOut = optional(e, 2) == null ? e.constant(HostTensor.scalar(DType.I32, 0))
        : e.op("Cast", List.of(scalarOf(e, optional(e, 2))), Map.of("DstT", DType.I32), 1).get(0);
    Object iou = optional(e, 3) == null ? e.constant(HostTensor.scalar(DType.F32, 0)) : scalarOf(e, optional(e, 3));
    Object scoreMin = optional(e, 4) == null ? e.constant(HostTensor.scalar(DType.F32, Float.NEGATIVE_INFINITY))
        : scalarOf(e, optional(e, 4));
    List<Object> rows = new ArrayList<>();
    for (long b = 0; b < batches; b++) {
      Object boxesB = e.op("StridedSlice", List.of(boxes, TfShapes.longs(e, b, 0, 0), TfShapes.longs(e, b + 1, 0, 0),
          TfShapes.longs(e, 1, 1, 1)), Map.of("begin_mask", 6L, "end_mask", 6L, "shrink_axis_mask", 1L), 1).get(0);
      for (long c = 0; c < classes; c++) {
        Object scoresBc = e.op("StridedSlice", List.of(e.input(1), TfShapes.longs(e, b, c, 0), TfShapes.longs(e, b + 1, c + 1, 0),
            TfShapes.longs(e, 1, 1, 1)), Map.of("begin_mask", 4L, "end_mask", 4L, "shrink_axis_mask", 3L), 1).get(0);
        Object kept = e.op("NonMaxSuppressionV3", List.of(boxesB, scoresBc, maxOut, iou, scoreMin), Map.of(), 1).get(0);
        Object idx = e.op("ExpandDims", List.of(e.op("Cast", List.of(kept), Map.of("DstT", DType.I64), 1).get(0),
            TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
        // [k, 1] of b and of c beside the [k, 1] indices: ZerosLike + constant keeps k a run-time count.
        Object zeros = e.op("ZerosLike", List.of(idx), Map.of(), 1).get(0);
        Object bs = e.op("AddV2", List.of(zeros, TfShapes.scalar(e, b)), Map.of(), 1).get(0);
        Object cs = e.op("AddV2", List.of(zeros, TfShapes.scalar(e, c)), Map.of(), 1).get(0);
        rows.add(TfShapes.concat(e, List.of(bs, cs, idx), 1));
      }
    }
    return List.of(TfShapes.concat(e, rows, 0));
  }

  /** TF Where gives one [rank] row per true element, in row-major order; ONNX wants them as columns. */
  static List<Object> nonZero(TfEmitter e) {
    Object rows = e.op("Where", List.of(e.input(0)), Map.of(), 1).get(0);
    return List.of(TfShapes.transpose(e, rows, 1, 0));
  }

  private static Object optional(TfEmitter e, int i) {
    return e.node().inputs().size() > i && e.node().input(i) != null ? e.input(i) : null;
  }

  /** A scalar or [1] input as a scalar (TF's NonMaxSuppressionV3 takes scalars). */
  private static Object scalarOf(TfEmitter e, Object v) {
    return e.op("Reshape", List.of(v, e.constant(HostTensor.ofLongs(new long[0], 0))), Map.of(), 1).get(0);
  }

  /** [x centre, y centre, width, height] to [x1, y1, x2, y2] = centre -+ half the size. */
  private static Object corners(TfEmitter e, Object boxes) {
    Object centre = e.op("StridedSlice", List.of(boxes, TfShapes.longs(e, 0, 0, 0), TfShapes.longs(e, 0, 0, 2),
        TfShapes.longs(e, 1, 1, 1)), Map.of("begin_mask", 3L, "end_mask", 3L), 1).get(0);
    Object size = e.op("StridedSlice", List.of(boxes, TfShapes.longs(e, 0, 0, 2), TfShapes.longs(e, 0, 0, 4),
        TfShapes.longs(e, 1, 1, 1)), Map.of("begin_mask", 3L, "end_mask", 3L), 1).get(0);
    Object half = e.op("Mul", List.of(size, e.constant(HostTensor.scalar(DType.F32, 0.5))), Map.of(), 1).get(0);
    Object lo = e.op("Sub", List.of(centre, half), Map.of(), 1).get(0);
    Object hi = e.op("AddV2", List.of(centre, half), Map.of(), 1).get(0);
    return TfShapes.concat(e, List.of(lo, hi), 2);
  }
}
