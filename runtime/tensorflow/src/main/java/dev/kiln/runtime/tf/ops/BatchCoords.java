package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The batch coordinates that TF's GatherNd lacks (it has no batch_dims), built at run time: for indices of shape
 * [d0 .. d(L-1), m] and b batch axes, coordinate k of position p is p's index on axis k, so the result is
 * [d0 .. d(L-1), b + m] = concat(range(d0) broadcast over the other axes, ..., indices). Used where the indices'
 * leading shape is known only at run time (a torch.onnx export with a dynamic batch, e.g. F.grid_sample's GatherND);
 * a static shape gets the same coordinates as one constant ({@link IndexHandlers#tfIndices}).
 */
final class BatchCoords {
  private BatchCoords() {}

  /** {@code idx} (int64, rank {@code lead + 1}) with its first {@code b} position coordinates prepended. */
  static Object prepend(TfEmitter e, Object idx, int lead, int b) {
    Object shape = TfShapes.shapeOf(e, idx);
    Object leadShape = TfShapes.range(e, shape, 0, lead);
    List<Object> parts = new ArrayList<>();
    for (int k = 0; k < b; k++) {
      Object size = e.op("Reshape", List.of(TfShapes.dimOf(e, shape, k), TfShapes.longs(e)), Map.of(), 1).get(0);
      Object along = e.op("Range", List.of(TfShapes.scalar(e, 0), size, TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
      long[] view = new long[lead];
      Arrays.fill(view, 1);
      view[k] = -1;  // range(d_k) on axis k, size 1 elsewhere, then broadcast to the whole leading shape
      Object placed = e.op("Reshape", List.of(along, TfShapes.longs(e, view)), Map.of(), 1).get(0);
      Object full = e.op("BroadcastTo", List.of(placed, leadShape), Map.of(), 1).get(0);
      parts.add(e.op("ExpandDims", List.of(full, e.constant(HostTensor.scalar(DType.I64, -1))), Map.of(), 1).get(0));
    }
    parts.add(idx);
    return TfShapes.concat(e, parts, -1);
  }
}
