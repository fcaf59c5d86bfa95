package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ops.Unique;
import java.util.List;
import java.util.Map;

/**
 * Unique: TF's {@code UniqueWithCountsV2} over x's slices along the axis (x moved to [d, rest] first; flattened x is
 * [n, 1]) gives the distinct slices in order of first occurrence, the inverse indices and the counts; the first
 * occurrences are the per-slice minimum of 0 .. d - 1 ({@code UnsortedSegmentMin}). Sorted: each distinct slice's
 * rank is the number of slices lexicographically below it, found from pairwise comparisons at the first position
 * where two slices differ ([U, U, M] work, fine for the sizes Unique is used on); the outputs are then permuted by
 * the ranks' inverse, and the inverse indices mapped through the ranks.
 */
final class UniqueHandler {
  private UniqueHandler() {}

  static List<Object> unique(TfEmitter e) {
    Attrs a = e.node().attrs();
    TensorType xt = e.node().input(0).type();
    boolean flatten = a.getBool("flatten");
    int rank = xt.rank();
    int axis = flatten ? 0 : Unique.axis(xt, a);
    Object x = e.input(0);
    long[] perm = new long[rank];
    long[] back = new long[rank];
    Object moved = x;
    Object rows;
    if (flatten) {
      rows = reshape(e, x, TfShapes.longs(e, -1, 1));
    } else {
      perm[0] = axis;
      for (int i = 1, j = 0; i < rank; i++, j++) perm[i] = j == axis ? ++j : j;
      for (int i = 0; i < rank; i++) back[(int) perm[i]] = i;
      moved = TfShapes.transpose(e, x, perm);
      Object lead = xt.shape().dim(axis).isStatic() ? TfShapes.longs(e, xt.shape().dim(axis).size())
          : TfShapes.dimOf(e, TfShapes.shapeOf(e, moved), 0);
      rows = reshape(e, moved, TfShapes.concat(e, List.of(lead, TfShapes.longs(e, -1)), 0));
    }
    List<Object> u = e.op("UniqueWithCountsV2", List.of(rows, TfShapes.longs(e, 0)), Map.of("out_idx", DType.I64), 3);
    Object y = u.get(0);
    Object inverse = u.get(1);
    Object counts = u.get(2);
    Object d = e.op("Size", List.of(inverse), Map.of("out_type", DType.I64), 1).get(0);
    Object positions = e.op("Range", List.of(TfShapes.scalar(e, 0), d, TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
    Object distinct = e.op("Size", List.of(counts), Map.of("out_type", DType.I64), 1).get(0);
    Object first = e.op("UnsortedSegmentMin", List.of(positions, inverse, distinct), Map.of(), 1).get(0);
    if (a.getBool("sorted")) {
      Object ranks = ranks(e, y);
      Object order = e.op("InvertPermutation", List.of(ranks), Map.of(), 1).get(0);
      y = gather(e, y, order, 0);
      counts = gather(e, counts, order, 0);
      first = gather(e, first, order, 0);
      inverse = gather(e, ranks, inverse, 0);
    }
    if (flatten) {
      y = reshape(e, y, TfShapes.longs(e, -1));
    } else {
      Object rest = TfShapes.range(e, TfShapes.shapeOf(e, moved), 1, rank);
      y = reshape(e, y, TfShapes.concat(e, List.of(TfShapes.longs(e, -1), rest), 0));
      y = TfShapes.transpose(e, y, back);
    }
    return List.of(y, first, inverse, counts);
  }

  /** For the distinct rows of y [U, M]: how many rows are lexicographically below each, i64 [U] (a permutation). */
  private static Object ranks(TfEmitter e, Object y) {
    Object a = e.op("ExpandDims", List.of(y, TfShapes.scalar(e, 1)), Map.of(), 1).get(0);
    Object b = e.op("ExpandDims", List.of(y, TfShapes.scalar(e, 0)), Map.of(), 1).get(0);
    Object differ = e.op("NotEqual", List.of(a, b), Map.of(), 1).get(0);
    Object differ32 = e.op("Cast", List.of(differ), Map.of("DstT", DType.I32), 1).get(0);
    // The first position where rows i and j differ (0 when they are equal, i = j, where either order is "not below").
    Object at = e.op("ArgMax", List.of(differ32, TfShapes.scalar(e, 2)), Map.of("output_type", DType.I64), 1).get(0);
    Object mine = e.op("GatherV2", List.of(y, at, TfShapes.scalar(e, 1)), Map.of("batch_dims", 1L), 1).get(0);
    Object theirs = TfShapes.transpose(e, mine, 1, 0);
    Object below = e.op("Less", List.of(theirs, mine), Map.of(), 1).get(0);
    Object below64 = e.op("Cast", List.of(below), Map.of("DstT", DType.I64), 1).get(0);
    return e.op("Sum", List.of(below64, TfShapes.scalar(e, 1)), Map.of("keep_dims", Boolean.FALSE), 1).get(0);
  }

  private static Object gather(TfEmitter e, Object v, Object idx, long axis) {
    return e.op("GatherV2", List.of(v, idx, TfShapes.scalar(e, axis)), Map.of(), 1).get(0);
  }

  private static Object reshape(TfEmitter e, Object v, Object shape) {
    return e.op("Reshape", List.of(v, shape), Map.of(), 1).get(0);
  }

}
