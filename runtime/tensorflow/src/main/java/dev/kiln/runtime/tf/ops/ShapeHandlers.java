package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.ops.Flatten;
import dev.kiln.spec.ops.Slice;
import dev.kiln.spec.ops.Split;
import dev.kiln.spec.ops.Squeeze;
import dev.kiln.spec.ops.Transpose;
import dev.kiln.spec.ops.Unsqueeze;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** TF handlers of the shape ops with constant operands (attributes): reshapes, slices, pads, concatenation, broadcasts. */
final class ShapeHandlers {
  private ShapeHandlers() {}

  /** TF Reshape has no "copy this dim" entry: 0s come from static dims, or at run time from TF Shape. */
  static List<Object> reshape(TfEmitter e) {
    long[] spec = e.node().attrs().getLongs("shape");
    Shape xs = e.node().inputs().get(0).type().shape();
    long[] resolved = spec.clone();
    boolean dynamic = false;
    for (int i = 0; i < spec.length; i++) {
      if (spec[i] != 0) continue;
      if (xs.dim(i).isStatic()) resolved[i] = xs.dim(i).size();
      else dynamic = true;
    }
    Object shape;
    if (!dynamic) {
      shape = TfShapes.longs(e, resolved);
    } else {
      Object runtimeShape = TfShapes.shapeOf(e, e.input(0));
      List<Object> parts = new ArrayList<>();
      for (int i = 0; i < spec.length; i++) {
        if (spec[i] == 0 && !xs.dim(i).isStatic()) parts.add(TfShapes.dimOf(e, runtimeShape, i));
        else parts.add(TfShapes.longs(e, resolved[i]));
      }
      shape = TfShapes.concat(e, parts, 0);
    }
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  /** TF has no Flatten: Reshape to [p, -1] (or [-1, q]) when one side is static, else compute both products. */
  static List<Object> flatten(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType y = e.node().outputs().get(0).type();
    Object shape;
    if (y.shape().dim(0).isStatic()) shape = TfShapes.longs(e, y.shape().dim(0).size(), -1);
    else if (y.shape().dim(1).isStatic()) shape = TfShapes.longs(e, -1, y.shape().dim(1).size());
    else {
      int axis = Flatten.axis(x, e.node().attrs().getLong("axis"));
      Object s = TfShapes.shapeOf(e, e.input(0));
      shape = TfShapes.concat(e, List.of(TfShapes.prod(e, TfShapes.range(e, s, 0, axis)),
          TfShapes.prod(e, TfShapes.range(e, s, axis, x.rank()))), 0);
    }
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  static List<Object> transpose(TfEmitter e) {
    return List.of(TfShapes.transpose(e, e.input(0),
        Transpose.permFor(e.node().attrs().getLongs("perm"), e.node().inputs().get(0).type().rank())));
  }

  static List<Object> squeeze(TfEmitter e) {
    return e.op("Squeeze", List.of(e.input(0)),
        Map.of("squeeze_dims", Squeeze.removed(e.node().inputs().get(0).type(), e.node().attrs().getLongs("axes"))), 1);
  }

  static List<Object> unsqueeze(TfEmitter e) {
    Object y = e.input(0);
    for (long a : Unsqueeze.positions(e.node().inputs().get(0).type(), e.node().attrs().getLongs("axes"))) {
      y = e.op("ExpandDims", List.of(y, TfShapes.scalar(e, a)), Map.of(), 1).get(0);
    }
    return List.of(y);
  }

  static List<Object> concat(TfEmitter e) {
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < e.node().inputs().size(); i++) parts.add(e.input(i));
    return List.of(TfShapes.concat(e, parts, e.node().attrs().getLong("axis")));
  }

  static List<Object> split(TfEmitter e) {
    Node n = e.node();
    TensorType x = n.input(0).type();
    long[] s = Split.sizes(x, n.attrs());
    // NOTE: SplitV's split_dim is an int32 scalar; the sizes may be int64 (its Tlen attribute follows them).
    Object dim = e.constant(HostTensor.scalar(DType.I32, x.shape().axis("Split", n.attrs().getLong("axis"))));
    return e.op("SplitV", List.of(e.input(0), TfShapes.longs(e, s), dim), Map.of("num_split", (long) s.length), s.length);
  }

  /**
   * TF StridedSlice over every axis; unsliced axes take the whole range via begin_mask/end_mask.
   * NOTE: StridedSlice clamps out-of-range begin/end the way Python (and ONNX Slice) does.
   */
  static List<Object> slice(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    Attrs a = e.node().attrs();
    long[][] as = Slice.resolve(x, a);
    long[] begin = new long[x.rank()];
    long[] end = new long[x.rank()];
    long[] stride = TypeRules.repeat(1, x.rank());
    long mask = 0;
    for (int d = 0; d < x.rank(); d++) mask |= 1L << d;
    for (int i = 0; i < as[0].length; i++) {
      int ax = (int) as[0][i];
      begin[ax] = a.getLongs("starts")[i];
      end[ax] = a.getLongs("ends")[i];
      stride[ax] = as[1][i];
      mask &= ~(1L << ax);
    }
    return e.op("StridedSlice", List.of(e.input(0), TfShapes.longs(e, begin), TfShapes.longs(e, end), TfShapes.longs(e, stride)),
        Map.of("begin_mask", mask, "end_mask", mask), 1);
  }

  static List<Object> pad(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    long[] pads = e.node().attrs().getLongs("pads");
    int r = x.rank();
    long[] pairs = new long[2 * r];
    for (int i = 0; i < r; i++) {
      pairs[2 * i] = pads[i];
      pairs[2 * i + 1] = pads[i + r];
    }
    Object table = e.constant(HostTensor.ofLongs(pairs, r, 2));
    Object v = e.constant(HostTensor.scalar(x.dtype(), e.node().attrs().getDouble("value")));
    return e.op("PadV2", List.of(e.input(0), table, v), Map.of(), 1);
  }

  static List<Object> expand(TfEmitter e) {
    Object target = e.op("BroadcastArgs", List.of(TfShapes.shapeOf(e, e.input(0)), e.input(1)), Map.of(), 1).get(0);
    return e.op("BroadcastTo", List.of(e.input(0), target), Map.of(), 1);
  }

  static List<Object> broadcastLike(TfEmitter e) {
    int r = e.node().input(0).type().rank();
    if (e.node().input(1).type().rank() == 4 && (r == 0 || r == 4) && e.onlyChannelsLast(1)) {
      // NOTE: like is held channels-last (after a conv): broadcast in that layout, so neither like nor
      // the result needs a transpose (batch norm's statistics and gradients broadcast this way).
      Object like = e.inputChannelsLast(1);
      Object shape = e.op("Shape", List.of(like), Map.of("out_type", DType.I64), 1).get(0);
      Object x = r == 0 ? e.input(0) : e.inputChannelsLast(0);
      return List.of(e.channelsLast(e.op("BroadcastTo", List.of(x, shape), Map.of(), 1).get(0)));
    }
    Object shape = e.op("Shape", List.of(e.input(1)), Map.of("out_type", DType.I64), 1).get(0);
    return e.op("BroadcastTo", List.of(e.input(0), shape), Map.of(), 1);
  }

  static List<Object> shape(TfEmitter e) {
    if (e.node().input(0).type().rank() == 4 && e.onlyChannelsLast(0)) {
      Object nhwc = e.op("Shape", List.of(e.inputChannelsLast(0)), Map.of("out_type", DType.I64), 1).get(0);
      return e.op("GatherV2", List.of(nhwc, e.constant(HostTensor.ofInts(new int[] {0, 3, 1, 2}, 4)),
          e.constant(HostTensor.ofInts(new int[] {0}))), Map.of(), 1);
    }
    return e.op("Shape", List.of(e.input(0)), Map.of("out_type", DType.I64), 1);
  }
}
