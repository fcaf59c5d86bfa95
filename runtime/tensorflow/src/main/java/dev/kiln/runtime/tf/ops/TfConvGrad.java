package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow lowerings of the window-gradient ops (ConvTranspose, ConvFilterGrad, MaxPoolGrad) on TF's
 * channels-last 2-D backprop kernels; 1-D runs as 2-D over a height of 1 (as in {@link TfConv}), 3-D
 * is declared unsupported. Groups go through Split/Concat.
 */
public final class TfConvGrad {
  private TfConvGrad() {}

  /** ConvTranspose as Conv2DBackpropInput: the input gradient of the Conv whose weight is w. */
  public static List<Object> convTranspose(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType w = e.node().inputs().get(1).type();
    TensorType y = e.node().outputs().get(0).type();
    long group = e.node().attrs().getLong("group");
    long[] k = new long[w.rank() - 2];
    for (int i = 0; i < k.length; i++) k[i] = w.shape().dim(i + 2).size();
    Windows.Geometry g = Windows.geometry(k, e.node().attrs());
    require2d(g, "ConvTranspose");
    long[] outSpatial = staticSpatial(y, "ConvTranspose");
    // NOTE: 2-D reads its inputs channels-last below; reading them here would make their NCHW forms.
    Object xi = g.spatial() == 1 ? e.input(0) : null;
    Object wi = e.input(1);
    boolean oneD = g.spatial() == 1;
    if (oneD) {
      g = TfConv.promote(g);
      xi = TfConv.expand(e, xi, 2);
      wi = TfConv.expand(e, wi, 2);
      outSpatial = new long[] {1, outSpatial[0]};
    }
    long og = w.shape().dim(1).size();
    Object xl = oneD ? TfShapes.transpose(e, xi, TfConv.toLast(4)) : e.inputChannelsLast(0);
    // Kernel [C, O/g, kh, kw] -> [kh, kw, O/g, C]: the forward Conv (O/g -> C channels) in TF's layout.
    Object wl = TfShapes.transpose(e, wi, 2, 3, 1, 0);
    if (java.util.Arrays.stream(g.dilations()).anyMatch(d -> d != 1)) {
      // NOTE: TF's CPU backprop kernels reject dilations; a dilated kernel is the undilated one with d - 1 zeros
      // between taps, so the transposed conv runs on that kernel with dilation 1.
      long[] kd = new long[2];
      for (int i = 0; i < 2; i++) {
        wl = spreadTaps(e, wl, i, g.kernel()[i], g.dilations()[i]);
        kd[i] = (g.kernel()[i] - 1) * g.dilations()[i] + 1;
      }
      g = new Windows.Geometry(kd, g.strides(), g.pads(), new long[] {1, 1});
    }
    Object batch = e.op("StridedSlice", List.of(e.op("Shape", List.of(xl), Map.of("out_type", DType.I32), 1).get(0),
        TfShapes.longs(e, 0), TfShapes.longs(e, 1), TfShapes.longs(e, 1)), Map.of(), 1).get(0);
    Object sizes = TfShapes.concat(e, List.of(batch, e.constant(HostTensor.ofInts(
        new int[] {(int) outSpatial[0], (int) outSpatial[1], (int) og}, 3))), 0);
    // NOTE: pads that neither VALID nor SAME name (a stride-2 3x3 conv with pads 1, as in ResNets) would
    // need EXPLICIT padding, which oneDNN's backprop kernels do not take (Eigen's run 5x slower): compute
    // the gradient of the padded input VALID instead and crop the padding off.
    boolean crop = TfConv.needsExplicit(g, outSpatial);
    long[] pads = g.pads();
    long[] full = crop ? new long[] {outSpatial[0] + pads[0] + pads[2], outSpatial[1] + pads[1] + pads[3]} : outSpatial;
    Windows.Geometry run = crop ? TfConv.unpadded(g) : g;
    if (crop) {
      sizes = TfShapes.concat(e, List.of(batch, e.constant(HostTensor.ofInts(new int[] {(int) full[0], (int) full[1], (int) og}, 3))), 0);
    }
    long channels = x.shape().dim(1).size();
    // NOTE: one channel in and one out per group (a depthwise ConvTranspose, a depthwise conv's input gradient, a
    // one-channel ConvTranspose): oneDNN's jit:avx2 backward-data kernel gets exactly these wrong on AVX-512 CPUs,
    // at Kiln's default AVX2 cap (docs/cpu-correctness.md). TF's depthwise input-gradient kernel gets them right, in
    // one call for every channel; where it cannot run (unequal strides) Eigen's f64 kernel does.
    boolean oneToOne = og == 1 && channels == group;
    Windows.Geometry depthwise = oneToOne ? equalStrides(run, full) : null;
    Object out;
    if (depthwise != null) {
      Object dwSizes = TfShapes.concat(e, List.of(batch, e.constant(HostTensor.ofInts(new int[] {(int) full[0], (int) full[1], (int) channels}, 3))), 0);
      // [kh, kw, 1, C] -> [kh, kw, C, 1]: C input channels of multiplier 1.
      Object dwFilter = TfShapes.transpose(e, wl, 0, 1, 3, 2);
      out = e.op("DepthwiseConv2dNativeBackpropInput", List.of(dwSizes, dwFilter, xl), convAttrs(depthwise, full), 1).get(0);
    } else {
      boolean wide = oneToOne && x.dtype() == DType.F32;
      Object xw = wide ? e.op("Cast", List.of(xl), Map.of("DstT", DType.F64), 1).get(0) : xl;
      Object ww = wide ? e.op("Cast", List.of(wl), Map.of("DstT", DType.F64), 1).get(0) : wl;
      List<Object> xs = group == 1 ? List.of(xw) : TfConv.split(e, xw, 3, group);
      List<Object> ws = group == 1 ? List.of(ww) : TfConv.split(e, ww, 3, group);
      List<Object> ys = new ArrayList<>();
      for (int i = 0; i < group; i++) {
        ys.add(e.op("Conv2DBackpropInput", List.of(sizes, ws.get(i), xs.get(i)), convAttrs(run, full), 1).get(0));
      }
      out = group == 1 ? ys.get(0) : TfShapes.concat(e, ys, 3);
      if (wide) out = e.op("Cast", List.of(out), Map.of("DstT", DType.F32), 1).get(0);
    }
    if (crop) {
      out = e.op("StridedSlice", List.of(out, TfShapes.longs(e, 0, pads[0], pads[1], 0),
          TfShapes.longs(e, 0, pads[0] + outSpatial[0], pads[1] + outSpatial[1], 0), TfShapes.longs(e, 1, 1, 1, 1)),
          Map.of("begin_mask", 9L, "end_mask", 9L), 1).get(0);
    }
    if (e.node().inputs().size() > 2) out = e.op("BiasAdd", List.of(out, e.input(2)), Map.of(), 1).get(0);
    if (!oneD) return List.of(e.channelsLast(out));
    out = TfShapes.transpose(e, out, TfConv.fromLast(4));
    return List.of(TfConv.squeeze(e, out, 2));
  }

  /** ConvFilterGrad as Conv2DBackpropFilter; TF's [kh, kw, C/g, O] result goes back to [O, C/g, kh, kw]. */
  public static List<Object> filterGrad(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType gy = e.node().inputs().get(1).type();
    Attrs a = e.node().attrs();
    Windows.Geometry g = Windows.geometry(a.getLongs("kernel"), a);
    require2d(g, "ConvFilterGrad");
    requireUndilated(g, "ConvFilterGrad");
    long group = a.getLong("group");
    // NOTE: 2-D reads its inputs channels-last below; reading them here would make their NCHW forms.
    Object xi = g.spatial() == 1 ? e.input(0) : null;
    Object gi = g.spatial() == 1 ? e.input(1) : null;
    boolean oneD = g.spatial() == 1;
    if (oneD) {
      g = TfConv.promote(g);
      xi = TfConv.expand(e, xi, 2);
      gi = TfConv.expand(e, gi, 2);
    }
    long cg = x.shape().dim(1).size() / group;
    long og = gy.shape().dim(1).size() / group;
    Object sizes = e.constant(HostTensor.ofInts(new int[] {(int) g.kernel()[0], (int) g.kernel()[1], (int) cg, (int) og}, 4));
    Object xl = oneD ? TfShapes.transpose(e, xi, TfConv.toLast(4)) : e.inputChannelsLast(0);
    Object gl = oneD ? TfShapes.transpose(e, gi, TfConv.toLast(4)) : e.inputChannelsLast(1);
    long[] inSpatial = TfConv.inputSpatial(x, g);
    if (TfConv.needsExplicit(g, inSpatial)) {
      // NOTE: as in convTranspose: pad the input, then run VALID on oneDNN's kernel.
      xl = TfConv.pad(e, xl, TfConv.withEnds(g.pads(), 2), 0, x.dtype());
      inSpatial = new long[] {inSpatial[0] + g.pads()[0] + g.pads()[2], inSpatial[1] + g.pads()[1] + g.pads()[3]};
      g = TfConv.unpadded(g);
    }
    if (TfConv.strided1x1(g)) {
      // As in TfConv.window: the unit-stride 1x1 gradient over every s-th input cell.
      xl = TfConv.subsample(e, xl, g.strides());
      inSpatial = new long[] {(inSpatial[0] + g.strides()[0] - 1) / g.strides()[0], (inSpatial[1] + g.strides()[1] - 1) / g.strides()[1]};
      g = TfConv.unitStride(g);
    }
    List<Object> xs = group == 1 ? List.of(xl) : TfConv.split(e, xl, 3, group);
    List<Object> gs = group == 1 ? List.of(gl) : TfConv.split(e, gl, 3, group);
    List<Object> dws = new ArrayList<>();
    for (int i = 0; i < group; i++) {
      dws.add(e.op("Conv2DBackpropFilter", List.of(xs.get(i), sizes, gs.get(i)), convAttrs(g, inSpatial), 1).get(0));
    }
    Object dw = group == 1 ? dws.get(0) : TfShapes.concat(e, dws, 3);
    dw = TfShapes.transpose(e, dw, 3, 2, 0, 1);
    return List.of(oneD ? TfConv.squeeze(e, dw, 2) : dw);
  }

  /**
   * MaxPoolGrad: pad x with the dtype's lowest value as the forward lowering does, recompute the pooled
   * output, run TF MaxPoolGrad (VALID) on the padded input, and crop the padding off its result.
   */
  public static List<Object> maxPoolGrad(TfEmitter e) {
    Attrs a = e.node().attrs();
    TensorType x = e.node().inputs().get(0).type();
    Windows.Geometry g = Windows.geometry(a.getLongs("kernel"), a);
    for (long d : g.dilations()) {
      if (d != 1) throw new UnsupportedOpException("MaxPoolGrad with dilations has no TensorFlow kernel");
    }
    require2d(g, "MaxPoolGrad");
    int n = g.spatial();
    long[] pairs = new long[2 * n];
    for (int i = 0; i < n; i++) {
      pairs[2 * i] = g.pads()[i];
      pairs[2 * i + 1] = g.pads()[i + n] + (a.getBool("ceil") ? TfConv.ceilExtra(x, g, i) : 0);
    }
    // NOTE: 2-D reads its inputs channels-last below; reading them here would make their NCHW forms.
    Object xi = g.spatial() == 1 ? e.input(0) : null;
    Object gi = g.spatial() == 1 ? e.input(1) : null;
    boolean oneD = n == 1;
    if (oneD) {
      g = TfConv.promote(g);
      pairs = new long[] {0, 0, pairs[0], pairs[1]};
      xi = TfConv.expand(e, xi, 2);
      gi = TfConv.expand(e, gi, 2);
    }
    Object xl = oneD ? TfShapes.transpose(e, xi, TfConv.toLast(4)) : e.inputChannelsLast(0);
    Object gl = oneD ? TfShapes.transpose(e, gi, TfConv.toLast(4)) : e.inputChannelsLast(1);
    Object xp = TfConv.pad(e, xl, pairs, TfConv.lowest(x.dtype()), x.dtype());
    Object yp = TfConv.poolOp(e, "MaxPool", xp, g);
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("ksize", TfConv.around(g.kernel()));
    attrs.put("strides", TfConv.around(g.strides()));
    attrs.put("padding", "VALID");
    attrs.put("data_format", "NHWC");
    Object dxp = e.op("MaxPoolGrad", List.of(xp, yp, gl), attrs, 1).get(0);
    long[] begin = {0, pairs[0], pairs[2], 0};
    long[] end = {0, -pairs[1], -pairs[3], 0};
    long endMask = 1 | 8 | (pairs[1] == 0 ? 2 : 0) | (pairs[3] == 0 ? 4 : 0);
    Object dx = e.op("StridedSlice", List.of(dxp, TfShapes.longs(e, begin), TfShapes.longs(e, end), TfShapes.longs(e, 1, 1, 1, 1)),
        Map.of("begin_mask", 9L, "end_mask", endMask), 1).get(0);
    if (!oneD) return List.of(e.channelsLast(dx));
    dx = TfShapes.transpose(e, dx, TfConv.fromLast(4));
    return List.of(TfConv.squeeze(e, dx, 2));
  }

  /**
   * {@code g} with equal strides, as TF's depthwise kernels need (others abort the process with oneDNN on), or null.
   * An axis whose input is one cell under a one-tap kernel and no padding (1-D as a height of 1) reads that one
   * cell whatever its stride, so it takes the other axis's.
   */
  static Windows.Geometry equalStrides(Windows.Geometry g, long[] inSpatial) {
    long[] s = g.strides().clone();
    for (int i = 0; i < 2 && s[0] != s[1]; i++) {
      boolean single = inSpatial[i] == 1 && g.kernel()[i] == 1 && g.pads()[i] == 0 && g.pads()[i + 2] == 0;
      if (single) s[i] = s[1 - i];
    }
    return s[0] == s[1] ? new Windows.Geometry(g.kernel(), s, g.pads(), g.dilations()) : null;
  }

  /** Attributes of a 2-D backprop kernel whose forward conv reads an input of {@code inSpatial}. */
  private static Map<String, Object> convAttrs(Windows.Geometry g, long[] inSpatial) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("strides", TfConv.around(g.strides()));
    attrs.put("dilations", TfConv.around(g.dilations()));
    TfConv.putPadding(attrs, g, inSpatial);
    attrs.put("data_format", "NHWC");
    return attrs;
  }

  /**
   * Kernel {@code wl} ([kh, kw, O, C]) with {@code d - 1} zeros between its taps along spatial axis {@code axis}:
   * each tap gets d - 1 zeros after it (ExpandDims, Pad, Reshape) and the trailing ones are cut (StridedSlice).
   */
  private static Object spreadTaps(TfEmitter e, Object wl, int axis, long k, long d) {
    if (d == 1) return wl;
    Object shape = e.op("Shape", List.of(wl), Map.of("out_type", DType.I64), 1).get(0);
    Object spread = e.op("ExpandDims", List.of(wl, TfShapes.scalar(e, axis + 1)), Map.of(), 1).get(0);
    long[] pads = new long[10];
    pads[2 * (axis + 1) + 1] = d - 1;
    spread = e.op("Pad", List.of(spread, e.constant(HostTensor.ofLongs(pads, 5, 2))), Map.of(), 1).get(0);
    Object merged = axis == 0
        ? TfShapes.concat(e, List.of(TfShapes.longs(e, k * d), TfShapes.range(e, shape, 1, 4)), 0)
        : TfShapes.concat(e, List.of(TfShapes.dimOf(e, shape, 0), TfShapes.longs(e, k * d), TfShapes.range(e, shape, 2, 4)), 0);
    spread = e.op("Reshape", List.of(spread, merged), Map.of(), 1).get(0);
    long[] begin = new long[4];
    long[] end = new long[4];
    end[axis] = (k - 1) * d + 1;
    long mask = 15 & ~(1L << axis); // every axis but this one taken whole
    return e.op("StridedSlice", List.of(spread, TfShapes.longs(e, begin), TfShapes.longs(e, end), TfShapes.longs(e, 1, 1, 1, 1)),
        Map.of("begin_mask", mask, "end_mask", mask), 1).get(0);
  }

  private static void require2d(Windows.Geometry g, String op) {
    if (g.spatial() > 2) throw new UnsupportedOpException(op + " over 3 spatial axes has no TensorFlow lowering yet");
  }

  /** NOTE: TF's CPU backprop kernels reject dilation rates above 1 at run time; refuse them up front. */
  private static void requireUndilated(Windows.Geometry g, String op) {
    for (long d : g.dilations()) {
      if (d != 1) throw new UnsupportedOpException(op + " with dilations " + java.util.Arrays.toString(g.dilations())
          + " has no TensorFlow CPU kernel");
    }
  }

  private static long[] staticSpatial(TensorType t, String op) {
    long[] s = new long[t.rank() - 2];
    for (int i = 0; i < s.length; i++) {
      if (!t.shape().dim(i + 2).isStatic()) throw new UnsupportedOpException(op + " needs static spatial sizes on TensorFlow, got " + t);
      s[i] = t.shape().dim(i + 2).size();
    }
    return s;
  }
}
