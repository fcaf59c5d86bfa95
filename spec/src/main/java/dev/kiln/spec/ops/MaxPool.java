package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
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
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Max over sliding windows of 1 to 3 spatial axes of x [N, C, *spatial]; padding never wins. ONNX MaxPool-12. */
public final class MaxPool extends Op {
  @Override public String summary() { return "y = max over each window of the spatial axes (NCHW)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("kernel", AttrKind.INTS, "window size per spatial axis")
        .attr("strides", AttrKind.INTS, new long[0], "step per spatial axis; empty means all 1")
        .attr("pads", AttrKind.INTS, new long[0], "padding, all begins then all ends; empty means 0")
        .attr("dilations", AttrKind.INTS, new long[0], "window dilation per spatial axis; empty means all 1")
        .attr("ceil", AttrKind.BOOL, false, "round the output size up (ONNX ceil_mode)");
  }

  /** Checks and returns the geometry of a pooling node (shared with AveragePool). */
  public static Windows.Geometry poolGeometry(TensorType x, Attrs attrs) {
    Windows.requireSpatialRank(x);
    long[] k = attrs.getLongs("kernel");
    int n = x.rank() - 2;
    if (k.length != n) {
      throw new ShapeException("kernel must have " + n + " entries (spatial axes of input x " + x + "), got "
          + java.util.Arrays.toString(k));
    }
    Windows.Geometry g = Windows.geometry(k, attrs);
    for (int i = 0; i < n; i++) {
      // ONNX Runtime rejects pads as large as the window (such a window could hold only padding).
      if (g.pads()[i] >= k[i] || g.pads()[i + n] >= k[i]) {
        throw new ShapeException("pads " + java.util.Arrays.toString(g.pads()) + " must be smaller than kernel "
            + java.util.Arrays.toString(k));
      }
    }
    return g;
  }

  /** Output type of a pooling node. */
  public static TensorType poolType(TensorType x, Windows.Geometry g, boolean ceil) {
    List<Dim> out = new ArrayList<>(x.shape().dims().subList(0, 2));
    out.addAll(Windows.spatialOut(x, g, ceil));
    return x.withShape(Shape.of(out));
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireNumeric("input x", in.get(0));
    return List.of(poolType(in.get(0), poolGeometry(in.get(0), attrs), attrs.getBool("ceil")));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("MaxPool", 12, MaxPool::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    Map<String, Object> attrs = new java.util.LinkedHashMap<>(
        Windows.onnxAttrs(poolGeometry(e.node().inputs().get(0).type(), a), true, true));
    attrs.put("ceil_mode", a.getBool("ceil") ? 1L : 0L);
    Windows.emitSame(e, "MaxPool", attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("MaxPool"); }

  /** dx = MaxPoolGrad(x, gy): each window's gradient to its first maximum. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Ops.maxPoolGrad(b, node.input(0), gys.get(0), node.attrs()));
  }
}
