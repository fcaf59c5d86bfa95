package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transposed convolution (the adjoint of Conv in x): x [N, C, *in], w [C, O/group, *kernel], optional
 * b [O]; y [N, O, *out] with out = stride*(in-1) + outputPadding + dilation*(k-1) + 1 - padBegin - padEnd.
 * ONNX ConvTranspose-11; TF Conv2DBackpropInput (NHWC).
 */
public final class ConvTranspose extends Op {
  @Override public String summary() { return "y = transposed conv(x, w) + b (the adjoint of Conv in x; NCHW, grouped)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "w", "b").optionalFrom(2)
        .attr("strides", AttrKind.INTS, new long[0], "step per spatial axis; empty means all 1")
        .attr("pads", AttrKind.INTS, new long[0], "cells cropped, all begins then all ends (ONNX order); empty means 0")
        .attr("dilations", AttrKind.INTS, new long[0], "kernel dilation per spatial axis; empty means all 1")
        .attr("group", AttrKind.INT, 1L, "number of channel groups")
        .attr("outputPadding", AttrKind.INTS, new long[0], "cells added at the end of each spatial axis; empty means 0");
  }

  /** Output padding expanded to {@code n} axes and checked (each below its stride or dilation, as ONNX asks). */
  public static long[] outputPadding(Windows.Geometry g, Attrs a) {
    int n = g.spatial();
    long[] op = a.has("outputPadding") ? a.getLongs("outputPadding") : new long[0];
    if (op.length == 0) return new long[n];
    if (op.length != n) throw new ShapeException("outputPadding must have " + n + " entries, got " + Arrays.toString(op));
    for (int i = 0; i < n; i++) {
      if (op[i] < 0 || op[i] >= Math.max(g.strides()[i], g.dilations()[i])) {
        throw new ShapeException("outputPadding " + Arrays.toString(op) + " must be >= 0 and below the stride or dilation");
      }
    }
    return op;
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TensorType w = in.get(1);
    TensorType b = in.size() > 2 ? in.get(2) : null;
    TypeRules.requireFloat("input x", x);
    var dtype = TypeRules.sameDType(in);
    Windows.requireSpatialRank(x);
    if (w.rank() != x.rank()) {
      throw new ShapeException("weight w must be [C, O/group, *kernel] with rank " + x.rank() + " like x " + x + ", got " + w);
    }
    long group = attrs.getLong("group");
    if (group < 1) throw new ShapeException("group must be >= 1, got " + group);
    TypeRules.unify("input x " + x + " must have as many channels as weight w " + w + " has rows", x.shape().dim(1), w.shape().dim(0));
    Dim c = w.shape().dim(0);
    if (c.isStatic() && c.size() % group != 0) throw new ShapeException("input channels " + c + " are not divisible by group " + group);
    Dim o = w.shape().dim(1).isStatic() ? Dim.of(w.shape().dim(1).size() * group) : Dim.unknown();
    if (b != null) {
      if (b.rank() != 1) throw new ShapeException("bias b must be [O] = [" + o + "], got " + b);
      TypeRules.unify("bias b " + b + " must have O = " + o + " entries", o, b.shape().dim(0));
    }
    Windows.Geometry g = Conv.geometry(w, attrs);
    long[] op = outputPadding(g, attrs);
    int n = g.spatial();
    List<Dim> out = new ArrayList<>(List.of(x.shape().dim(0), o));
    for (int i = 0; i < n; i++) {
      Dim d = x.shape().dim(i + 2);
      if (!d.isStatic()) {
        out.add(Dim.unknown());
        continue;
      }
      long size = g.strides()[i] * (d.size() - 1) + op[i] + g.dilations()[i] * (g.kernel()[i] - 1) + 1 - g.pads()[i] - g.pads()[i + n];
      if (size < 1) throw new ShapeException("pads " + Arrays.toString(g.pads()) + " crop spatial axis " + (i + 2) + " to " + size);
      out.add(Dim.of(size));
    }
    return List.of(new TensorType(dtype, Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ConvTranspose", 11, ConvTranspose::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Windows.Geometry g = Conv.geometry(e.node().inputs().get(1).type(), e.node().attrs());
    if (dev.kiln.spec.op.ConvF64.applies(e)) {  // ONNX Runtime's CPU ConvTranspose is float-only
      dev.kiln.spec.op.ConvF64.transpose(e, g);
      return;
    }
    Map<String, Object> attrs = new LinkedHashMap<>(Windows.onnxAttrs(g, true, true));
    attrs.put("group", e.node().attrs().getLong("group"));
    attrs.put("output_padding", outputPadding(g, e.node().attrs()));
    Windows.emitSame(e, "ConvTranspose", attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("Conv2DBackpropInput"); }

  /**
   * ConvTranspose is Conv's adjoint in x, so: dx = Conv(gy, w) with the same window; dw =
   * ConvFilterGrad(gy, x) (gy plays Conv's input, x its output gradient); db = gy summed over batch
   * and spatial axes.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Value gy = gys.get(0);
      Windows.Geometry g = Conv.geometry(node.inputs().get(1).type(), node.attrs());
      int n = g.spatial();
      Attrs window = Attrs.of("strides", g.strides(), "pads", g.pads(), "dilations", g.dilations(), "group", node.attrs().getLong("group"));
      List<Value> grads = new ArrayList<>();
      grads.add(Ops.conv(b, gy, node.input(1), null, window));
      grads.add(Ops.convFilterGrad(b, gy, node.input(0), window.with("kernel", g.kernel())));
      if (node.inputs().size() > 2) {
        long[] axes = new long[n + 1];
        for (int i = 1; i <= n; i++) axes[i] = i + 1;
        grads.add(Ops.reduceSum(b, gy, axes, false));
      }
      return grads;
    };
  }
}
