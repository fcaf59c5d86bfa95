package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
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
import java.util.List;
import java.util.Map;

/**
 * Mean over sliding windows of 1 to 3 spatial axes of x [N, C, *spatial]; padded cells count in the
 * divisor only with {@code countIncludePad}. ONNX AveragePool-11.
 */
public final class AveragePool extends Op {
  @Override public String summary() { return "y = mean over each window of the spatial axes (NCHW)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("kernel", AttrKind.INTS, "window size per spatial axis")
        .attr("strides", AttrKind.INTS, new long[0], "step per spatial axis; empty means all 1")
        .attr("pads", AttrKind.INTS, new long[0], "padding, all begins then all ends; empty means 0")
        .attr("ceil", AttrKind.BOOL, false, "round the output size up (ONNX ceil_mode)")
        .attr("countIncludePad", AttrKind.BOOL, false, "divide by the full window, padding included (ONNX count_include_pad)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireFloat("input x", in.get(0));
    return List.of(MaxPool.poolType(in.get(0), MaxPool.poolGeometry(in.get(0), attrs), attrs.getBool("ceil")));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("AveragePool", 11, AveragePool::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    Map<String, Object> attrs = new java.util.LinkedHashMap<>(Windows.onnxAttrs(
        MaxPool.poolGeometry(e.node().inputs().get(0).type(), a), true, false));
    attrs.put("ceil_mode", a.getBool("ceil") ? 1L : 0L);
    attrs.put("count_include_pad", a.getBool("countIncludePad") ? 1L : 0L);
    Windows.emitSame(e, "AveragePool", attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("AvgPool"); }

  /**
   * dx = ConvTranspose(gy / count, ones) depthwise: each window spreads its gradient evenly over the x
   * cells it averaged. The per-window counts are computed here (static sizes needed) with the same
   * rule as the forward op: padded cells count only with countIncludePad, ceil-mode overhang never.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      TensorType x = node.inputs().get(0).type();
      Attrs a = node.attrs();
      Windows.Geometry g = MaxPool.poolGeometry(x, a);
      int n = g.spatial();
      long[] in = GlobalAveragePool.spatialSizes(x);
      long[] out = GlobalAveragePool.spatialSizes(node.outputs().get(0).type());
      if (!x.shape().dim(1).isStatic()) throw new UnsupportedOpException("AveragePool gradient needs static channels, got " + x);
      long c = x.shape().dim(1).size();
      Value scaled = Ops.mul(b, gys.get(0), Ops.constant(b, reciprocalCounts(x.dtype(), g, in, out, a.getBool("countIncludePad"))));
      long[] kshape = new long[n + 2];
      kshape[0] = c;
      kshape[1] = 1;
      System.arraycopy(g.kernel(), 0, kshape, 2, n);
      Value ones = Ops.constant(b, HostTensor.filled(x.dtype(), kshape, 1));
      // ConvTranspose yields stride*(out-1) + kernel - padBegin - padEnd' + outputPadding cells: crop the
      // ceil-mode overhang through padEnd', add the uncovered tail through outputPadding.
      long[] pads = g.pads().clone();
      long[] outputPadding = new long[n];
      for (int i = 0; i < n; i++) {
        long diff = g.strides()[i] * (out[i] - 1) + g.kernel()[i] - g.pads()[i] - in[i];
        pads[i + n] = Math.max(diff, 0);
        outputPadding[i] = Math.max(-diff, 0);
      }
      return List.of(Ops.convTranspose(b, scaled, ones, null, g.strides(), pads, new long[0], c, outputPadding));
    };
  }

  /** 1 / (cells each output window averages), shaped [*out] to broadcast against gy. */
  private static HostTensor reciprocalCounts(dev.kiln.spec.DType dtype, Windows.Geometry g, long[] in, long[] out, boolean includePad) {
    int n = g.spatial();
    int total = 1;
    for (long o : out) total *= (int) o;
    double[] v = new double[total];
    for (int flat = 0; flat < total; flat++) {
      long count = 1;
      int rest = flat;
      for (int i = n - 1; i >= 0; i--) {
        long j = rest % out[i];
        rest /= (int) out[i];
        long start = j * g.strides()[i] - g.pads()[i];
        long lo = includePad ? -g.pads()[i] : 0;
        long hi = includePad ? in[i] + g.pads()[i + n] : in[i];
        count *= Math.max(0, Math.min(start + g.kernel()[i], hi) - Math.max(start, lo));
      }
      v[flat] = 1.0 / count;
    }
    return HostTensor.fromDoubles(dtype, v, out);
  }
}
