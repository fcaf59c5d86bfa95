package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ops.Gather;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** TF handlers of gathers and scatters: negative indices are moved up by the axis size, as ONNX counts them. */
final class IndexHandlers {
  private IndexHandlers() {}

  static List<Object> gather(TfEmitter e) {
    Node n = e.node();
    int a = Gather.axis(n.input(0).type(), n.attrs());
    Object idx = nonNegative(e, e.input(1), n.input(1).type().dtype(), e.input(0), a);
    return e.op("GatherV2", List.of(e.input(0), idx, e.constant(HostTensor.scalar(DType.I64, a))), Map.of(), 1);
  }

  /** {@code indices} with negative entries moved up by {@code shaped}'s run-time size on {@code axis}. */
  static Object nonNegative(TfEmitter e, Object indices, DType it, Object shaped, int axis) {
    Object shape = e.op("Shape", List.of(shaped), Map.of("out_type", it), 1).get(0);
    Object size = e.op("GatherV2", List.of(shape, e.constant(HostTensor.scalar(it, axis)), e.constant(HostTensor.scalar(it, 0))),
        Map.of(), 1).get(0);
    Object neg = e.op("Less", List.of(indices, e.constant(HostTensor.scalar(it, 0))), Map.of(), 1).get(0);
    Object up = e.op("AddV2", List.of(indices, size), Map.of(), 1).get(0);
    return e.op("SelectV2", List.of(neg, up, indices), Map.of(), 1).get(0);
  }

  /**
   * The indices' axes are moved to the front of updates, UnsortedSegmentSum adds the rows into n segments
   * (n = like's size on the axis), and the segment axis moves back to {@code axis}.
   */
  static List<Object> gatherGrad(TfEmitter e) {
    Node n = e.node();
    TensorType like = n.input(2).type();
    int r = like.rank();
    int a = Gather.axis(like, n.attrs());
    int q = n.input(1).type().rank();
    DType it = n.input(1).type().dtype();
    Object idx = nonNegative(e, e.input(1), it, e.input(2), a);
    Object shape = e.op("Shape", List.of(e.input(2)), Map.of("out_type", it), 1).get(0);
    Object size = e.op("GatherV2", List.of(shape, e.constant(HostTensor.scalar(it, a)), e.constant(HostTensor.scalar(it, 0))),
        Map.of(), 1).get(0);
    List<Long> perm = new ArrayList<>();
    for (int i = 0; i < q; i++) perm.add((long) a + i);
    for (int i = 0; i < a; i++) perm.add((long) i);
    for (int i = a + q; i < r - 1 + q; i++) perm.add((long) i);
    Object up = transpose(e, e.input(0), perm);
    Object sum = e.op("UnsortedSegmentSum", List.of(up, idx, size), Map.of(), 1).get(0);
    List<Long> back = new ArrayList<>();
    for (int i = 1; i <= a; i++) back.add((long) i);
    back.add(0L);
    for (int i = a + 1; i < r; i++) back.add((long) i);
    return List.of(transpose(e, sum, back));
  }

  private static Object transpose(TfEmitter e, Object x, List<Long> perm) {
    boolean identity = true;
    for (int i = 0; i < perm.size(); i++) identity &= perm.get(i) == i;
    if (identity) return x;
    long[] p = perm.stream().mapToLong(Long::longValue).toArray();
    return e.op("Transpose", List.of(x, e.constant(HostTensor.ofLongs(p, p.length))), Map.of(), 1).get(0);
  }

  static List<Object> gatherNd(TfEmitter e) {
    return e.op("GatherNd", List.of(e.input(0), tfIndices(e, 0, 1, (int) e.node().attrs().getLong("batch_dims"))), Map.of(), 1);
  }

  static List<Object> scatterNd(TfEmitter e) {
    String type = switch (e.node().attrs().getString("reduction")) {
      case "none" -> "TensorScatterUpdate";
      case "add" -> "TensorScatterAdd";
      case "max" -> "TensorScatterMax";
      case "min" -> "TensorScatterMin";
      default -> throw new UnsupportedOpException("ScatterND with reduction mul has no TensorFlow form");
    };
    return e.op(type, List.of(e.input(0), tfIndices(e, 0, 1, 0), e.input(2)), Map.of(), 1);
  }

  /**
   * The TF form of node input {@code indices} into input {@code data}: int64, negative coordinates moved up
   * by their axis sizes (read at run time where one is dynamic), and for batch_dims b > 0 the b batch coordinates of each
   * position prepended (as one constant when the index shape is static, else built at run time by
   * {@link BatchCoords}), since TF's raw GatherNd has no batch_dims.
   */
  static Object tfIndices(TfEmitter e, int dataInput, int indicesInput, int b) {
    Node n = e.node();
    TensorType data = n.input(dataInput).type();
    TensorType it = n.input(indicesInput).type();
    int m = (int) it.shape().dim(it.rank() - 1).size();
    long[] sizes = new long[m];
    boolean dynamic = false;
    for (int k = 0; k < m; k++) {
      Dim d = data.shape().dim(b + k);
      dynamic |= !d.isStatic();
      sizes[k] = d.isStatic() ? d.size() : -1;
    }
    // The indexed axes' sizes, for moving negative coordinates up: constants, or read at run time when one of
    // them is known only then (a dynamic batch axis indexed by a permutation, as torch writes for packed sequences).
    Object axisSizes = !dynamic ? e.constant(HostTensor.ofLongs(sizes, m))
        : e.op("Slice", List.of(e.op("Shape", List.of(e.input(dataInput)), Map.of("out_type", DType.I64), 1).get(0),
            e.constant(HostTensor.ofLongs(new long[] {b}, 1)), e.constant(HostTensor.ofLongs(new long[] {m}, 1))), Map.of(), 1).get(0);
    Object idx = e.op("Cast", List.of(e.input(indicesInput)), Map.of("DstT", DType.I64), 1).get(0);
    Object neg = e.op("Less", List.of(idx, e.constant(HostTensor.scalar(DType.I64, 0))), Map.of(), 1).get(0);
    Object up = e.op("AddV2", List.of(idx, axisSizes), Map.of(), 1).get(0);
    idx = e.op("SelectV2", List.of(neg, up, idx), Map.of(), 1).get(0);
    if (b == 0) return idx;
    Shape lead = Shape.of(it.shape().dims().subList(0, it.rank() - 1));
    if (!lead.isStatic()) return BatchCoords.prepend(e, idx, it.rank() - 1, b);
    long[] ls = lead.sizes();
    long count = lead.elementCount();
    long[] coords = new long[Math.toIntExact(count * b)];
    for (long p = 0; p < count; p++) {
      long rest = p;
      long[] pos = new long[ls.length];
      for (int d = ls.length - 1; d >= 0; d--) {
        pos[d] = rest % ls[d];
        rest /= ls[d];
      }
      for (int d = 0; d < b; d++) coords[(int) (p * b + d)] = pos[d];
    }
    long[] cs = Arrays.copyOf(ls, ls.length + 1);
    cs[ls.length] = b;
    return TfShapes.concat(e, List.of(e.constant(HostTensor.ofLongs(coords, cs)), idx), -1);
  }
}
