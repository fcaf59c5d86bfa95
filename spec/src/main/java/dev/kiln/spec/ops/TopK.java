package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * values, indices = the k largest (or, with {@code largest} false, smallest) elements of x along
 * {@code axis}, sorted, with their int64 indices; equal elements keep the lower index first. k is the
 * attribute {@code k}, or the optional input {@code k} (an integer of shape [1] or a scalar, e.g. computed
 * at run time, making that output dim unknown). ONNX TopK-11 (results always sorted); TF TopKV2 on the last
 * axis, between transposes, on -x for the smallest.
 */
public final class TopK extends Op {
  @Override public String summary() { return "values, indices = the k largest (or smallest) elements of x along axis"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "k").optionalFrom(1).outputs(2)
        .attr("k", AttrKind.INT, 1L, "how many elements, when the input k is left out")
        .attr("axis", AttrKind.INT, -1L, "the axis to search along")
        .attr("largest", AttrKind.BOOL, true, "the largest elements, else the smallest");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    int ax = axis(x, a);
    List<Dim> out = new ArrayList<>(x.shape().dims());
    if (in.size() > 1 && in.get(1) != null) {
      TensorType k = in.get(1);
      if ((k.dtype() != DType.I64 && k.dtype() != DType.I32) || k.rank() > 1 || (k.rank() == 1 && !k.shape().dim(0).is(1))) {
        throw new ShapeException("input k must be an i64 or i32 scalar or [1] vector, got " + k);
      }
      out.set(ax, Dim.unknown());
    } else {
      long k = a.getLong("k");
      Dim d = x.shape().dim(ax);
      if (k < 0 || (d.isStatic() && k > d.size())) throw new ShapeException("attribute k " + k + " must be in [0, " + d + "] (the size of axis " + ax + ")");
      out.set(ax, Dim.of(k));
    }
    Shape s = Shape.of(out);
    return List.of(new TensorType(x.dtype(), s), new TensorType(DType.I64, s));
  }

  public static int axis(TensorType x, Attrs a) {
    int r = x.rank();
    if (r < 1) throw new ShapeException("input x must have rank >= 1, got " + x);
    long axis = a.getLong("axis");
    if (axis < -r || axis >= r) throw new ShapeException("attribute axis " + axis + " is out of range [" + -r + ", " + (r - 1) + "] for x " + x);
    return (int) (axis < 0 ? axis + r : axis);
  }

  private static boolean kInput(Node n) { return n.inputs().size() > 1 && n.input(1) != null; }

  /** K goes in as a [1] int64 input: the node's (reshaped / cast when needed) or the attribute as a constant. */
  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("TopK", 11, e -> {
      Node n = e.node();
      String k;
      if (!kInput(n)) {
        k = e.constant(HostTensor.ofLongs(new long[] {n.attrs().getLong("k")}, 1), "k");
      } else {
        k = e.input(1);
        if (n.input(1).type().dtype() != DType.I64) {
          String c = e.fresh("k_i64");
          e.emit("Cast", List.of(k), List.of(c), Map.of("to", (long) DType.I64.onnxCode()));
          k = c;
        }
        if (n.input(1).type().rank() == 0) {
          String r = e.fresh("k_vector");
          e.emit("Reshape", List.of(k, e.constant(HostTensor.ofLongs(new long[] {1}, 1), "one")), List.of(r), Map.of());
          k = r;
        }
      }
      e.emit("TopK", List.of(e.input(0), k), List.of(e.output(0), e.output(1)),
          Map.of("axis", (long) axis(n.input(0).type(), n.attrs()), "largest", Onnx.boolToInt(n.attrs().getBool("largest")), "sorted", 1L));
    }));
  }

  @Override public TfLowering tf() { return TfLowering.custom("TopKV2"); }

  /**
   * dx = gy scattered to the picked positions: ReduceSum over the k axis of OneHot(indices) (a new axis of
   * x's size right after it) times gy; needs a static size on the axis. Indices and k get none.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      TensorType xt = node.input(0).type();
      int ax = axis(xt, node.attrs());
      Dim d = xt.shape().dim(ax);
      if (!d.isStatic()) throw new ShapeException("TopK: the gradient needs a static size on axis " + ax + ", got " + xt);
      Value gy = gys.get(0);
      if (gy == null) return Arrays.asList(new Value[node.inputs().size()]);
      Value hot = Ops.oneHot(b, node.outputs().get(1), d.size(), xt.dtype(), (long) ax + 1);
      Value wide = Ops.unsqueeze(b, gy, new long[] {ax + 1});
      Value dx = Ops.reduceSum(b, Ops.mul(b, hot, wide), new long[] {ax}, false);
      List<Value> out = new ArrayList<>(Arrays.asList(new Value[node.inputs().size()]));
      out.set(0, dx);
      return out;
    };
  }
}
