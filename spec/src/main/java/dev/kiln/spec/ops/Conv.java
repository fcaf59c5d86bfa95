package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * N-d convolution (cross-correlation, as in deep learning) over 1 to 3 spatial axes: x [N, C, *spatial],
 * w [O, C/group, *kernel], optional bias b [O]; y [N, O, *out]. ONNX Conv-11.
 */
public final class Conv extends Op {
  @Override public String summary() { return "y = conv(x, w) + b over 1-3 spatial axes (NCHW, grouped, dilated)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "w", "b").optionalFrom(2)
        .attr("strides", AttrKind.INTS, new long[0], "step per spatial axis; empty means all 1")
        .attr("pads", AttrKind.INTS, new long[0], "padding, all begins then all ends (ONNX order); empty means 0")
        .attr("dilations", AttrKind.INTS, new long[0], "kernel dilation per spatial axis; empty means all 1")
        .attr("group", AttrKind.INT, 1L, "number of channel groups (C for depthwise)");
  }

  /** The window geometry of a Conv node with these input types. */
  public static Windows.Geometry geometry(TensorType w, Attrs attrs) {
    long[] k = new long[w.rank() - 2];
    for (int i = 0; i < k.length; i++) {
      Dim d = w.shape().dim(i + 2);
      if (!d.isStatic()) throw new ShapeException("weight w must have a static kernel, got " + w);
      k[i] = d.size();
    }
    return Windows.geometry(k, attrs);
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TensorType w = in.get(1);
    TensorType b = in.size() > 2 ? in.get(2) : null;
    TypeRules.requireFloat("input x", x);
    var dtype = TypeRules.sameDType(in);
    Windows.requireSpatialRank(x);
    if (w.rank() != x.rank()) {
      throw new ShapeException("weight w must be [O, C/group, *kernel] with rank " + x.rank() + " like x " + x + ", got " + w);
    }
    long group = attrs.getLong("group");
    if (group < 1) throw new ShapeException("group must be >= 1, got " + group);
    Dim c = x.shape().dim(1);
    Dim cg = w.shape().dim(1);
    Dim o = w.shape().dim(0);
    if (c.isStatic() && cg.isStatic() && c.size() != cg.size() * group) {
      throw new ShapeException("input x has " + c + " channels but weight w " + w.shape() + " expects " + cg + " x group " + group
          + " = " + cg.size() * group);
    }
    if (c.isStatic() && c.size() % group != 0) {
      throw new ShapeException("input channels " + c + " are not divisible by group " + group);
    }
    if (o.isStatic() && o.size() % group != 0) {
      throw new ShapeException("output channels " + o + " of weight w " + w.shape() + " are not divisible by group " + group);
    }
    if (b != null) {
      if (b.rank() != 1) throw new ShapeException("bias b must be [O] = [" + o + "], got " + b);
      TypeRules.unify("bias b " + b + " must have O = " + o + " entries", o, b.shape().dim(0));
    }
    Windows.Geometry g = geometry(w, attrs);
    List<Dim> out = new ArrayList<>();
    out.add(x.shape().dim(0));
    out.add(o);
    out.addAll(Windows.spatialOut(x, g, false));
    return List.of(new TensorType(dtype, Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Conv", 11, Conv::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Windows.Geometry g = geometry(e.node().inputs().get(1).type(), e.node().attrs());
    if (dev.kiln.spec.op.ConvF64.applies(e)) {  // ONNX Runtime's CPU Conv is float-only
      dev.kiln.spec.op.ConvF64.conv(e, g);
      return;
    }
    Map<String, Object> attrs = new java.util.LinkedHashMap<>(Windows.onnxAttrs(g, true, true));
    attrs.put("group", e.node().attrs().getLong("group"));
    Windows.emitSame(e, "Conv", attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("Conv"); }

  /**
   * dx = ConvTranspose(gy, w) with the output padding that restores x's spatial size (cells past the
   * last window get 0); dw = ConvFilterGrad(x, gy); db = gy summed over batch and spatial axes.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      TensorType x = node.inputs().get(0).type();
      TensorType w = node.inputs().get(1).type();
      Value gy = gys.get(0);
      Windows.Geometry g = geometry(w, node.attrs());
      long group = node.attrs().getLong("group");
      int n = g.spatial();
      long[] outputPadding = new long[n];
      for (int i = 0; i < n; i++) {
        Dim in = x.shape().dim(i + 2);
        Dim out = gy.type().shape().dim(i + 2);
        if (!in.isStatic() || !out.isStatic()) {
          throw new UnsupportedOpException("Conv gradient needs static spatial sizes, got x " + x + " and gy " + gy.type());
        }
        long reached = g.strides()[i] * (out.size() - 1) + g.dilations()[i] * (g.kernel()[i] - 1) + 1;
        outputPadding[i] = in.size() + g.pads()[i] + g.pads()[i + n] - reached;
      }
      Attrs window = Attrs.of("strides", g.strides(), "pads", g.pads(), "dilations", g.dilations(), "group", group);
      Value dx = Ops.convTranspose(b, gy, node.input(1), null, window.with("outputPadding", outputPadding));
      Value dw = Ops.convFilterGrad(b, node.input(0), gy, window.with("kernel", g.kernel()));
      List<Value> grads = new ArrayList<>(java.util.Arrays.asList(dx, dw));
      if (node.inputs().size() > 2) {
        long[] axes = new long[n + 1];
        for (int i = 1; i <= n; i++) axes[i] = i + 1;
        grads.add(Ops.reduceSum(b, gy, axes, false));
      }
      return grads;
    };
  }
}
