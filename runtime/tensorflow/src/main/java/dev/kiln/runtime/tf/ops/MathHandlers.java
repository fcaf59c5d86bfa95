package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.ops.EyeLike;
import dev.kiln.spec.ops.TopK;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** TF handlers of matrix products, reductions, softmaxes, arg/top-k, cumulative sums and generated tensors. */
final class MathHandlers {
  private MathHandlers() {}

  /** Whether node input {@code i} is given (an optional input may be absent or null). */
  static boolean given(Node n, int i) { return n.inputs().size() > i && n.input(i) != null; }

  static List<Object> matMul(TfEmitter e) {
    boolean va = e.node().input(0).type().rank() == 1;
    boolean vb = e.node().input(1).type().rank() == 1;
    Object a = va ? e.op("ExpandDims", List.of(e.input(0), e.constant(HostTensor.scalar(DType.I64, 0))), Map.of(), 1).get(0)
        : e.input(0);
    Object b = vb ? e.op("ExpandDims", List.of(e.input(1), e.constant(HostTensor.scalar(DType.I64, -1))), Map.of(), 1).get(0)
        : e.input(1);
    if (!va && !vb) {
      // NOTE: the VJP's products read a transposed operand (gy @ bᵀ, aᵀ @ gy); reading it through the
      // kernel's transpose flags skips the copy (about 1/3 of an MLP's gradient matmul time).
      Object at = e.inputBeforeSwapLast(0);
      Object bt = e.inputBeforeSwapLast(1);
      boolean matrices = e.node().input(0).type().rank() == 2 && e.node().input(1).type().rank() == 2
          && e.node().input(0).type().dtype().isFloating();
      Map<String, Object> attrs = matrices
          ? Map.of("transpose_a", at != null, "transpose_b", bt != null) : Map.of("adj_x", at != null, "adj_y", bt != null);
      return e.op(matrices ? "MatMul" : "BatchMatMulV2", List.of(at != null ? at : a, bt != null ? bt : b), attrs, 1);
    }
    Object y = e.op("BatchMatMulV2", List.of(a, b), Map.of(), 1).get(0);
    long[] squeeze = va && vb ? new long[] {-2, -1} : va ? new long[] {-2} : new long[] {-1};
    return e.op("Squeeze", List.of(y), Map.of("squeeze_dims", squeeze), 1);
  }

  /** Softmax / LogSoftmax ({@code tfOp}, TF's kernels take the last axis): another axis is swapped to the end and back. */
  static List<Object> axisSoftmax(TfEmitter e, String tfOp) {
    int rank = e.node().inputs().get(0).type().rank();
    int axis = e.node().inputs().get(0).type().shape().axis(tfOp, e.node().attrs().getLong("axis"));
    if (axis == rank - 1) return e.op(tfOp, List.of(e.input(0)), Map.of(), 1);
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) perm[i] = i;
    perm[axis] = rank - 1;
    perm[rank - 1] = axis;
    Object permT = e.constant(HostTensor.ofInts(perm, rank));
    Object moved = e.op("Transpose", List.of(e.input(0), permT), Map.of(), 1).get(0);
    Object y = e.op(tfOp, List.of(moved), Map.of(), 1).get(0);
    return e.op("Transpose", List.of(y, permT), Map.of(), 1);
  }

  /**
   * The reduction onto {@code tfOpType} (Sum, Mean, Max, Prod): the axes go in as an int32
   * {@code reduction_indices} tensor (every axis when {@code axes} is empty), {@code keep_dims} as an attr.
   */
  static List<Object> reduce(TfEmitter e, String tfOpType) {
    TensorType x = e.node().inputs().get(0).type();
    boolean[] reduced = Reduction.reducedAxes(x.shape(), e.node().attrs().getLongs("axes"));
    if (x.rank() == 4 && e.onlyChannelsLast(0)) {
      List<Object> y = channelsLastReduce(e, tfOpType, reduced);
      if (y != null) return y;
    }
    int[] idx = java.util.stream.IntStream.range(0, reduced.length).filter(i -> reduced[i]).toArray();
    Object axes = e.constant(HostTensor.ofInts(idx, idx.length));
    return e.op(tfOpType, List.of(e.input(0), axes), Map.of("keep_dims", e.node().attrs().getBool("keepdims")), 1);
  }

  /**
   * The reduction of a rank-4 input held channels-last ([N, H, W, C]) without transposing it back: with
   * keepdims the result is channels-last too; without, only when the kept axes stay in order (a conv
   * bias gradient sums N, H, W and keeps C). Null when it cannot.
   */
  private static List<Object> channelsLastReduce(TfEmitter e, String tfOpType, boolean[] reduced) {
    int[] position = {0, 3, 1, 2};  // where NCHW axis a sits in NHWC
    boolean keep = e.node().attrs().getBool("keepdims");
    int last = -1;
    List<Integer> axes = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      if (reduced[a]) {
        axes.add(position[a]);
      } else if (!keep) {
        if (position[a] < last) return null;
        last = position[a];
      }
    }
    axes.sort(null);
    int[] idx = axes.stream().mapToInt(Integer::intValue).toArray();
    Object y = e.op(tfOpType, List.of(e.inputChannelsLast(0), e.constant(HostTensor.ofInts(idx, idx.length))),
        Map.of("keep_dims", keep), 1).get(0);
    return List.of(keep ? e.channelsLast(y) : y);
  }

  /** TF Sum with empty axes reduces nothing: ONNX's "empty = all" is spelled out from the static length. */
  static List<Object> dynamicReduceSum(TfEmitter e) {
    Node node = e.node();
    int r = node.input(0).type().rank();
    boolean empty = node.input(1).type().shape().dim(0).size() == 0;
    if (empty && node.attrs().getBool("noop_with_empty_axes")) return e.op("Identity", List.of(e.input(0)), Map.of(), 1);
    long[] all = new long[r];
    for (int i = 0; i < r; i++) all[i] = i;
    Object axes = empty ? e.constant(HostTensor.ofLongs(all, r)) : e.input(1);
    return e.op("Sum", List.of(e.input(0), axes), Map.of("keep_dims", node.attrs().getBool("keepdims")), 1);
  }

  static List<Object> argMax(TfEmitter e) {
    TensorType x = e.node().input(0).type();
    int axis = x.shape().axis("ArgMax", e.node().attrs().getLong("axis"));
    Object dim = e.constant(HostTensor.scalar(DType.I32, axis));
    List<Object> y = e.op("ArgMax", List.of(e.input(0), dim), Map.of("output_type", DType.I64), 1);
    if (!e.node().attrs().getBool("keepdims")) return y;
    return e.op("ExpandDims", List.of(y.get(0), e.constant(HostTensor.scalar(DType.I32, axis))), Map.of(), 1);
  }

  static List<Object> topK(TfEmitter e) {
    Node n = e.node();
    TensorType xt = n.input(0).type();
    int r = xt.rank();
    int ax = TopK.axis(xt, n.attrs());
    boolean largest = n.attrs().getBool("largest");
    Object k = given(n, 1)
        ? e.op("Cast", List.of(e.op("Reshape", List.of(e.input(1), e.constant(HostTensor.ofLongs(new long[0], 0))), Map.of(), 1).get(0)),
            Map.of("DstT", DType.I32), 1).get(0)
        : e.constant(HostTensor.scalar(DType.I32, n.attrs().getLong("k")));
    long[] perm = new long[r];
    for (int i = 0; i < r; i++) perm[i] = i;
    perm[ax] = r - 1;
    perm[r - 1] = ax;
    Object x = e.input(0);
    if (ax != r - 1) x = e.op("Transpose", List.of(x, e.constant(HostTensor.ofLongs(perm, r))), Map.of(), 1).get(0);
    if (!largest) x = e.op("Neg", List.of(x), Map.of(), 1).get(0);
    List<Object> top = e.op("TopKV2", List.of(x, k), Map.of("sorted", true), 2);
    Object values = top.get(0);
    Object indices = e.op("Cast", List.of(top.get(1)), Map.of("DstT", DType.I64), 1).get(0);
    if (!largest) values = e.op("Neg", List.of(values), Map.of(), 1).get(0);
    if (ax != r - 1) {
      values = e.op("Transpose", List.of(values, e.constant(HostTensor.ofLongs(perm, r))), Map.of(), 1).get(0);
      indices = e.op("Transpose", List.of(indices, e.constant(HostTensor.ofLongs(perm, r))), Map.of(), 1).get(0);
    }
    return List.of(values, indices);
  }

  static List<Object> cumSum(TfEmitter e) {
    Node n = e.node();
    Object axis;
    if (!given(n, 1)) axis = e.constant(HostTensor.scalar(DType.I64, n.attrs().getLong("axis")));
    else if (n.input(1).type().rank() == 1) axis = e.op("Reshape", List.of(e.input(1), e.constant(HostTensor.ofLongs(new long[0], 0))), Map.of(), 1).get(0);
    else axis = e.input(1);
    return e.op("Cumsum", List.of(e.input(0), axis),
        Map.of("exclusive", n.attrs().getBool("exclusive"), "reverse", n.attrs().getBool("reverse")), 1);
  }

  static List<Object> range(TfEmitter e) {
    Object start = e.input(0);
    Object span = e.op("Sub", List.of(e.input(1), start), Map.of(), 1).get(0);
    Object away = e.op("Less", List.of(e.op("Mul", List.of(span, e.input(2)), Map.of(), 1).get(0),
        e.constant(HostTensor.scalar(e.node().input(0).type().dtype(), 0))), Map.of(), 1).get(0);
    Object limit = e.op("SelectV2", List.of(away, start, e.input(1)), Map.of(), 1).get(0);
    return e.op("Range", List.of(start, limit, e.input(2)), Map.of(), 1);
  }

  static List<Object> eyeLike(TfEmitter e) {
    long[] s = e.node().input(0).type().shape().sizes();
    return List.of(e.constant(EyeLike.eye(s[0], s[1], e.node().attrs().getLong("k"), e.node().attrs().getDType("dtype"))));
  }

  static List<Object> constantOfShape(TfEmitter e) {
    HostTensor v = e.node().attrs().getTensor("value").reshape();
    return e.op("Fill", List.of(e.input(0), e.constant(v)), Map.of(), 1);
  }

  /**
   * NOTE: TF's OneHot gives an all-zero row for every negative index, ONNX counts [-depth, -1] from the end;
   * adding depth to negative indices first makes TF follow ONNX (still-negative ones stay all-zero).
   */
  static List<Object> oneHot(TfEmitter e) {
    Attrs a = e.node().attrs();
    DType it = e.node().input(0).type().dtype();
    Object zero = e.constant(HostTensor.scalar(it, 0));
    Object neg = e.op("Less", List.of(e.input(0), zero), Map.of(), 1).get(0);
    Object shifted = e.op("AddV2", List.of(e.input(0), e.constant(HostTensor.scalar(it, a.getLong("depth")))), Map.of(), 1).get(0);
    Object idx = e.op("SelectV2", List.of(neg, shifted, e.input(0)), Map.of(), 1).get(0);
    Object depth = e.constant(HostTensor.scalar(DType.I32, a.getLong("depth")));
    DType d = a.getDType("dtype");
    // The new axis's position in the output, made non-negative (TF's OneHot accepts no axis below -1).
    long axis = a.getLong("axis");
    if (axis < 0) axis += e.node().input(0).type().rank() + 1;
    return e.op("OneHot", List.of(idx, depth, e.constant(HostTensor.scalar(d, 1)), e.constant(HostTensor.scalar(d, 0))),
        Map.of("axis", axis), 1);
  }
}
