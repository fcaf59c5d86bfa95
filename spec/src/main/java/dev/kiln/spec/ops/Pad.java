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
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Constant padding: {@code pads} (ONNX order: all begins, then all ends, one per axis, each &gt;= 0)
 * cells of {@code value} around x. ONNX Pad-13 (mode constant; pads and value as inputs); TF PadV2.
 */
public final class Pad extends Op {
  @Override public String summary() { return "y = x surrounded by pads cells of value (constant mode)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("pads", AttrKind.INTS, "cells per axis, all begins then all ends (ONNX order), each >= 0")
        .attr("value", AttrKind.FLOAT, 0.0, "the fill value");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    long[] pads = attrs.getLongs("pads");
    int r = x.rank();
    if (pads.length != 2 * r) {
      throw new ShapeException("pads must have 2 x rank = " + 2 * r + " entries for input x " + x + ", got " + Arrays.toString(pads));
    }
    for (long p : pads) if (p < 0) throw new ShapeException("pads must be >= 0, got " + Arrays.toString(pads));
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < r; i++) {
      Dim d = x.shape().dim(i);
      long add = pads[i] + pads[i + r];
      out.add(add == 0 ? d : d.isStatic() ? Dim.of(d.size() + add) : Dim.unknown());
    }
    return List.of(x.withShape(Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Pad", 13, Pad::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    long[] pads = a.getLongs("pads");
    String p = e.constant(HostTensor.ofLongs(pads, pads.length), "pads");
    String v = e.constant(HostTensor.scalar(e.node().inputs().get(0).type().dtype(), a.getDouble("value")), "value");
    e.emit("Pad", List.of(e.input(0), p, v), List.of(e.output(0)), Map.of("mode", "constant"));
  }

  /** TF PadV2 wants an [rank, 2] table of (begin, end) pairs. */
  @Override public TfLowering tf() { return TfLowering.custom("PadV2"); }

  /** dx = gy with the padding sliced off; the fill value gets no gradient (it is an attribute). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      long[] pads = node.attrs().getLongs("pads");
      int r = node.inputs().get(0).type().rank();
      List<Long> axes = new ArrayList<>();
      List<Long> starts = new ArrayList<>();
      List<Long> ends = new ArrayList<>();
      for (int i = 0; i < r; i++) {
        if (pads[i] == 0 && pads[i + r] == 0) continue;
        axes.add((long) i);
        starts.add(pads[i]);
        // NOTE: a negative end counts from the end, so dynamic axes need no static size.
        ends.add(pads[i + r] == 0 ? Long.MAX_VALUE : -pads[i + r]);
      }
      if (axes.isEmpty()) return List.of(gys.get(0));
      return List.of(Ops.slice(b, gys.get(0), longs(starts), longs(ends), longs(axes), new long[0]));
    };
  }

  static long[] longs(List<Long> v) {
    long[] a = new long[v.size()];
    for (int i = 0; i < a.length; i++) a[i] = v.get(i);
    return a;
  }
}
