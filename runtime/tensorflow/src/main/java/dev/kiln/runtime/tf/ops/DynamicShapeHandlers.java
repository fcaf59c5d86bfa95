package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.ir.Node;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * TF handlers of the {@code Dynamic*} ops, whose shape operands are int64 tensors computed at run time: TF takes
 * them as tensors natively; where ONNX and TF differ the full shape, or full-rank begin/end/strides, is computed in
 * the graph ({@code ScatterNd}, {@code Where}).
 */
final class DynamicShapeHandlers {
  private DynamicShapeHandlers() {}

  /** TF Reshape has no "copy this dim" entry: where the shape holds 0, x's run-time dim replaces it. */
  static List<Object> reshape(TfEmitter e) {
    int r = e.node().input(0).type().rank();
    long n = e.node().input(1).type().shape().dim(0).size();
    Object xs = TfShapes.shapeOf(e, e.input(0));
    // x's dims aligned with the shape's entries; past x's rank a 0 entry is invalid (ONNX) and stays 0.
    Object aligned = n <= r ? TfShapes.range(e, xs, 0, n) : TfShapes.concat(e, List.of(xs, TfShapes.longs(e, new long[(int) n - r])), 0);
    Object isZero = e.op("Equal", List.of(e.input(1), TfShapes.longs(e, new long[(int) n])), Map.of(), 1).get(0);
    Object shape = e.op("SelectV2", List.of(isZero, aligned, e.input(1)), Map.of(), 1).get(0);
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  /**
   * begin/end/strides over every axis: the given entries scattered to their (normalised) axes; other axes
   * run 0..INT64_MAX by 1, which TF clamps to the whole axis. TF clamps out-of-range starts and ends the
   * way ONNX does (negative counts from the end, then into [0, dim], or [-1, dim - 1] for negative steps).
   */
  static List<Object> slice(TfEmitter e) {
    Node node = e.node();
    int r = node.input(0).type().rank();
    int k = Math.toIntExact(node.input(1).type().shape().dim(0).size());
    long[] seq = new long[k];
    for (int i = 0; i < k; i++) seq[i] = i;
    Object axes = node.inputs().size() > 3 ? TfShapes.normalizeAxes(e, e.input(3), r) : TfShapes.longs(e, seq);
    long[] ones = new long[k];
    Arrays.fill(ones, 1);
    Object mask = TfShapes.scatter(e, axes, TfShapes.longs(e, ones), r);
    Object sliced = e.op("Greater", List.of(mask, TfShapes.scalar(e, 0)), Map.of(), 1).get(0);
    Object begin = TfShapes.scatter(e, axes, e.input(1), r);
    long[] max = new long[r];
    Arrays.fill(max, Long.MAX_VALUE);
    Object end = e.op("SelectV2", List.of(sliced, TfShapes.scatter(e, axes, e.input(2), r), TfShapes.longs(e, max)), Map.of(), 1).get(0);
    long[] rOnes = new long[r];
    Arrays.fill(rOnes, 1);
    Object strides = node.inputs().size() > 4
        ? e.op("SelectV2", List.of(sliced, TfShapes.scatter(e, axes, e.input(4), r), TfShapes.longs(e, rOnes)), Map.of(), 1).get(0)
        : TfShapes.longs(e, rOnes);
    return e.op("StridedSlice", List.of(e.input(0), begin, end, strides), Map.of(), 1);
  }

  /** x's run-time shape with the entries at the axes left out (GatherNd at the positions Where finds). */
  static List<Object> squeeze(TfEmitter e) {
    int r = e.node().input(0).type().rank();
    int k = Math.toIntExact(e.node().input(1).type().shape().dim(0).size());
    long[] ones = new long[k];
    Arrays.fill(ones, 1);
    Object axes = TfShapes.normalizeAxes(e, e.input(1), r);
    Object mask = TfShapes.scatter(e, axes, TfShapes.longs(e, ones), r);
    Object kept = e.op("Where", List.of(e.op("Equal", List.of(mask, TfShapes.scalar(e, 0)), Map.of(), 1).get(0)), Map.of(), 1).get(0);
    Object shape = e.op("GatherNd", List.of(TfShapes.shapeOf(e, e.input(0)), kept), Map.of(), 1).get(0);
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  /** The output shape: 1 at the new axes, x's dims in order at the other positions (found with Where). */
  static List<Object> unsqueeze(TfEmitter e) {
    int r = e.node().input(0).type().rank();
    int k = Math.toIntExact(e.node().input(1).type().shape().dim(0).size());
    long n = r + k;
    long[] ones = new long[k];
    Arrays.fill(ones, 1);
    Object axes = TfShapes.normalizeAxes(e, e.input(1), n);
    Object mask = TfShapes.scatter(e, axes, TfShapes.longs(e, ones), n);
    Object free = e.op("Where", List.of(e.op("Equal", List.of(mask, TfShapes.scalar(e, 0)), Map.of(), 1).get(0)), Map.of(), 1).get(0);
    Object dims = e.op("ScatterNd", List.of(free, TfShapes.shapeOf(e, e.input(0)), TfShapes.longs(e, n)), Map.of(), 1).get(0);
    Object shape = e.op("AddV2", List.of(dims, mask), Map.of(), 1).get(0);
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  static List<Object> pad(TfEmitter e) {
    Node node = e.node();
    int r = node.input(0).type().rank();
    String mode = node.attrs().getString("mode");
    if (mode.equals("edge")) return List.of(edge(e, r));
    Object pairs = TfShapes.transpose(e, e.op("Reshape", List.of(e.input(1), TfShapes.longs(e, 2, r)), Map.of(), 1).get(0), 1, 0);
    if (mode.equals("reflect")) return e.op("MirrorPad", List.of(e.input(0), pairs), Map.of("mode", "REFLECT"), 1);
    if (node.inputs().size() < 3) return e.op("Pad", List.of(e.input(0), pairs), Map.of(), 1);
    Object value = e.op("Reshape", List.of(e.input(2), TfShapes.longs(e)), Map.of(), 1).get(0);
    return e.op("PadV2", List.of(e.input(0), pairs, value), Map.of(), 1);
  }

  /** Edge mode, axis by axis: gather x at Range(-before, dim + after) clamped into [0, dim - 1]. */
  private static Object edge(TfEmitter e, int r) {
    Object y = e.input(0);
    Object shape = TfShapes.shapeOf(e, e.input(0));
    for (int i = 0; i < r; i++) {
      Object before = scalarAt(e, e.input(1), i);
      Object after = scalarAt(e, e.input(1), i + r);
      Object dim = scalarAt(e, shape, i);
      Object start = e.op("Neg", List.of(before), Map.of(), 1).get(0);
      Object limit = e.op("AddV2", List.of(dim, after), Map.of(), 1).get(0);
      Object idx = e.op("Range", List.of(start, limit, TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
      Object last = e.op("Sub", List.of(dim, TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
      Object clamped = e.op("ClipByValue", List.of(idx, TfShapes.scalar(e, 0), last), Map.of(), 1).get(0);
      y = e.op("GatherV2", List.of(y, clamped, TfShapes.scalar(e, i)), Map.of(), 1).get(0);
    }
    return y;
  }

  private static Object scalarAt(TfEmitter e, Object v, long i) {
    return e.op("Reshape", List.of(TfShapes.dimOf(e, v, i), TfShapes.longs(e)), Map.of(), 1).get(0);
  }

}
