package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of Conv with respect to its weight: from x [N, C, *in] and gy [N, O, *out] (the output
 * gradient), dw [O, C/group, *kernel] = sum over n and output cells of gy times the x cell each kernel
 * tap saw. ONNX: Conv over batch-as-channels (see {@link #emitOnnx}); TF Conv2DBackpropFilter (NHWC).
 */
public final class ConvFilterGrad extends Op {
  @Override public String summary() { return "dw = the gradient of Conv's weight from x and the output gradient gy"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "gy")
        .required("kernel", AttrKind.INTS, "kernel size per spatial axis (of the forward Conv's weight)")
        .attr("strides", AttrKind.INTS, new long[0], "the forward Conv's strides")
        .attr("pads", AttrKind.INTS, new long[0], "the forward Conv's pads (ONNX order)")
        .attr("dilations", AttrKind.INTS, new long[0], "the forward Conv's dilations")
        .attr("group", AttrKind.INT, 1L, "the forward Conv's group");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TensorType gy = in.get(1);
    TypeRules.requireFloat("input x", x);
    var dtype = TypeRules.sameDType(in);
    Windows.requireSpatialRank(x);
    if (gy.rank() != x.rank()) throw new ShapeException("input gy must have x's rank " + x.rank() + ", got " + gy);
    long[] k = attrs.getLongs("kernel");
    if (k.length != x.rank() - 2) throw new ShapeException("kernel must have " + (x.rank() - 2) + " entries, got " + k.length);
    Windows.Geometry g = Windows.geometry(k, attrs);
    long group = attrs.getLong("group");
    if (group < 1) throw new ShapeException("group must be >= 1, got " + group);
    TypeRules.unify("input gy " + gy + " must have x's batch", x.shape().dim(0), gy.shape().dim(0));
    List<Dim> want = Windows.spatialOut(x, g, false);
    for (int i = 0; i < want.size(); i++) {
      TypeRules.unify("input gy " + gy + " must have Conv's output size on spatial axis " + (i + 2), want.get(i), gy.shape().dim(i + 2));
    }
    Dim c = x.shape().dim(1);
    Dim o = gy.shape().dim(1);
    if (!c.isStatic() || !o.isStatic()) throw new ShapeException("channels of x " + x + " and gy " + gy + " must be static");
    if (c.size() % group != 0 || o.size() % group != 0) {
      throw new ShapeException("channels of x (" + c + ") and gy (" + o + ") must be divisible by group " + group);
    }
    List<Dim> out = new ArrayList<>(List.of(o, Dim.of(c.size() / group)));
    for (long kk : k) out.add(Dim.of(kk));
    return List.of(new TensorType(dtype, Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Conv", 13, ConvFilterGrad::emitOnnx)); }

  /**
   * NOTE: dw[o, c, k] = sum_{n, j} gy[n, o, j] * xpad[n, c, j*stride + k*dilation] is itself a Conv:
   * with batch and channels swapped, x^T [C, N, *in] convolved by gy^T [O, N, *out] as the kernel,
   * stride = the forward dilation, dilation = the forward stride, the same pads. It yields at least
   * the kernel's size per axis (cells the forward Conv never reached), so the result is cropped.
   * Groups: each group's channels separately, joined along O.
   */
  private static void emitOnnx(OnnxEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType gy = e.node().inputs().get(1).type();
    Attrs a = e.node().attrs();
    Windows.Geometry g = Windows.geometry(a.getLongs("kernel"), a);
    if (dev.kiln.spec.op.ConvF64.applies(e)) {  // this form is a Conv, which ONNX Runtime's CPU runs in float only
      dev.kiln.spec.op.ConvF64.filterGrad(e, g);
      return;
    }
    int n = g.spatial();
    int r = n + 2;
    long group = a.getLong("group");
    long cg = x.shape().dim(1).size() / group;
    long og = gy.shape().dim(1).size() / group;
    long[] swap = new long[r];
    for (int i = 0; i < r; i++) swap[i] = i;
    swap[0] = 1;
    swap[1] = 0;
    Map<String, Object> convAttrs = new LinkedHashMap<>();
    convAttrs.put("strides", g.dilations().clone());
    convAttrs.put("pads", g.pads().clone());
    convAttrs.put("dilations", g.strides().clone());
    long[] cropAxes = new long[n];
    long[] zeros = new long[n];
    for (int i = 0; i < n; i++) cropAxes[i] = i + 2;
    List<String> parts = new ArrayList<>();
    for (long gi = 0; gi < group; gi++) {
      String xg = channels(e, e.input(0), gi * cg, (gi + 1) * cg, group);
      String gyg = channels(e, e.input(1), gi * og, (gi + 1) * og, group);
      String xt = e.fresh("x_t");
      e.emit("Transpose", List.of(xg), List.of(xt), Map.of("perm", swap));
      String gyt = e.fresh("gy_t");
      e.emit("Transpose", List.of(gyg), List.of(gyt), Map.of("perm", swap));
      String full = e.fresh("dw_full");
      e.emit("Conv", List.of(xt, gyt), List.of(full), convAttrs);
      String crop = e.fresh("dw_crop");
      e.emit("Slice", List.of(full, e.constant(longs(zeros), "starts"), e.constant(longs(g.kernel()), "ends"),
          e.constant(longs(cropAxes), "axes")), List.of(crop), Map.of());
      String part = group == 1 ? e.output(0) : e.fresh("dw_group");
      e.emit("Transpose", List.of(crop), List.of(part), Map.of("perm", swap));
      parts.add(part);
    }
    if (group > 1) e.emit("Concat", parts, List.of(e.output(0)), Map.of("axis", 0L));
  }

  /** Channels [from, to) of {@code v} (all of it when there is one group). */
  private static String channels(OnnxEmitter e, String v, long from, long to, long group) {
    if (group == 1) return v;
    String out = e.fresh("group_slice");
    e.emit("Slice", List.of(v, e.constant(longs(new long[] {from}), "starts"), e.constant(longs(new long[] {to}), "ends"),
        e.constant(longs(new long[] {1}), "axes")), List.of(out), Map.of());
    return out;
  }

  private static HostTensor longs(long[] v) { return HostTensor.ofLongs(v, v.length); }

  @Override public TfLowering tf() { return TfLowering.custom("Conv2DBackpropFilter"); }
}
