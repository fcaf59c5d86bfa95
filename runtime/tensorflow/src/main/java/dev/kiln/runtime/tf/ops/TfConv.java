package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Windows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow lowerings of the window ops. NOTE: TF's CPU kernels for Conv2D/MaxPool/AvgPool only take
 * channels-last data, so every lowering works on N*C data: 2-D ones through
 * {@link TfEmitter#inputChannelsLast}/{@link TfEmitter#channelsLast}, so a chain of window ops (and the
 * pointwise ops between them) stays channels-last with no transposes in between; the others transpose
 * NC* to N*C and back. 1-D
 * windows run as 2-D ones over a height of 1; 3-D ones use the *3D kernels with explicit Pad ops.
 */
public final class TfConv {
  private TfConv() {}

  /** Conv: Conv2D (EXPLICIT padding), DepthwiseConv2dNative when group == C, Split/Concat for other groups. */
  public static List<Object> conv(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType w = e.node().inputs().get(1).type();
    long group = e.node().attrs().getLong("group");
    long[] k = new long[w.rank() - 2];
    for (int i = 0; i < k.length; i++) k[i] = w.shape().dim(i + 2).size();
    Windows.Geometry g = Windows.geometry(k, e.node().attrs());
    // NOTE: read the canonical input only where it is used: reading it makes its NCHW form (a transpose).
    Object xi = g.spatial() == 2 ? null : e.input(0);
    Object wi = e.input(1);
    boolean oneD = g.spatial() == 1;
    if (oneD) {
      g = promote(g);
      xi = expand(e, xi, 2);
      wi = expand(e, wi, 2);
    }
    int r = g.spatial() + 2;
    Object xl = r == 4 && !oneD ? e.inputChannelsLast(0) : TfShapes.transpose(e, xi, toLast(r));
    long c = x.shape().dim(1).isStatic() ? x.shape().dim(1).size() : -1;
    long cg = w.shape().dim(1).size();
    Object y;
    // NOTE: TF's CPU DepthwiseConv2dNative needs equal strides and no dilation (with oneDNN on, unequal
    // strides abort the process), so other depthwise convs take the split path below.
    boolean plainDepthwise = g.strides()[0] == g.strides()[1] && g.dilations()[0] == 1 && g.dilations()[1] == 1;
    if (group > 1 && cg == 1 && c == group && r == 4 && plainDepthwise) {
      // Depthwise: w [C*m, 1, kh, kw] -> [C, m, kh, kw] -> [kh, kw, C, m].
      long m = w.shape().dim(0).size() / group;
      Object wr = e.op("Reshape", List.of(wi, TfShapes.longs(e, group, m, g.kernel()[0], g.kernel()[1])), Map.of(), 1).get(0);
      y = window(e, "DepthwiseConv2dNative", xl, TfShapes.transpose(e, wr, 2, 3, 0, 1), g);
    } else {
      // Kernel O, I, *k -> *k, I, O.
      long[] perm = new long[r];
      for (int i = 0; i < r - 2; i++) perm[i] = i + 2;
      perm[r - 2] = 1;
      perm[r - 1] = 0;
      Object wl = TfShapes.transpose(e, wi, perm);
      if (group == 1) {
        y = window(e, r == 4 ? "Conv2D" : "Conv3D", xl, wl, g);
      } else {
        List<Object> xs = split(e, xl, r - 1, group);
        List<Object> ws = split(e, wl, r - 1, group);
        List<Object> ys = new ArrayList<>();
        for (int i = 0; i < group; i++) ys.add(window(e, r == 4 ? "Conv2D" : "Conv3D", xs.get(i), ws.get(i), g));
        y = TfShapes.concat(e, ys, r - 1);
      }
    }
    if (e.node().inputs().size() > 2) y = e.op("BiasAdd", List.of(y, e.input(2)), Map.of(), 1).get(0);
    if (r == 4 && !oneD) return List.of(e.channelsLast(y));
    y = TfShapes.transpose(e, y, fromLast(r));
    return List.of(oneD ? squeeze(e, y, 2) : y);
  }

  /** MaxPool: pad with the dtype's lowest value (padding must never win), then VALID MaxPool/MaxPool3D. */
  public static List<Object> maxPool(TfEmitter e) {
    Attrs a = e.node().attrs();
    TensorType x = e.node().inputs().get(0).type();
    Windows.Geometry g = Windows.geometry(a.getLongs("kernel"), a);
    final boolean dilated = java.util.Arrays.stream(g.dilations()).anyMatch(d -> d != 1);
    if (dilated) {
      String dil = java.util.Arrays.toString(g.dilations());
      if (g.spatial() == 3) throw new UnsupportedOpException("MaxPool with dilations " + dil + " over 3 spatial axes has no TensorFlow kernel");
      if (a.getBool("ceil")) throw new UnsupportedOpException("MaxPool with dilations " + dil + " and ceil mode has no TensorFlow lowering yet");
      if (!x.shape().dim(1).isStatic()) throw new UnsupportedOpException("MaxPool with dilations " + dil + " needs a static channel count, got " + x);
    }
    long channels = dilated ? x.shape().dim(1).size() : 0;
    return pool(e, x, g, a.getBool("ceil"), (xl, gg, pads) -> {
      Object padded = pad(e, xl, pads, lowest(x.dtype()), x.dtype());
      return dilated ? dilatedMax(e, padded, gg, channels, x.dtype()) : poolOp(e, "MaxPool", padded, gg);
    });
  }

  /**
   * A dilated 2-D max pool as TF's {@code Dilation2D} (grayscale morphological dilation: the max over the window of
   * input + filter) with an all-zero filter, which is the max over the dilated window; VALID on the padded input.
   */
  private static Object dilatedMax(TfEmitter e, Object xl, Windows.Geometry g, long channels, DType dtype) {
    long[] k = g.kernel();
    Object filter = e.constant(HostTensor.filled(dtype, new long[] {k[0], k[1], channels}, 0));
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("strides", around(g.strides()));
    attrs.put("rates", around(g.dilations()));
    attrs.put("padding", "VALID");
    return e.op("Dilation2D", List.of(xl, filter), attrs, 1).get(0);
  }

  /** AveragePool: sum over padded windows divided by the count of cells that count (a padded mask). */
  public static List<Object> avgPool(TfEmitter e) {
    Attrs a = e.node().attrs();
    TensorType x = e.node().inputs().get(0).type();
    Windows.Geometry g = Windows.geometry(a.getLongs("kernel"), a);
    boolean includePad = a.getBool("countIncludePad");
    return pool(e, x, g, a.getBool("ceil"), (xl, gg, pads) -> {
      boolean anyPad = false;
      for (long p : pads) anyPad |= p != 0;
      if (!anyPad) return poolOp(e, "AvgPool", xl, gg);
      Object num = poolOp(e, "AvgPool", pad(e, xl, pads, 0, x.dtype()), gg);
      Object ones = e.op("OnesLike", List.of(xl), Map.of(), 1).get(0);
      Object mask;
      if (includePad) {
        // Explicit pads count, the extra cells ceil mode adds at the end do not (as in ONNX Runtime).
        mask = pad(e, ones, withEnds(gg.pads(), gg.spatial()), 1, x.dtype());
        mask = pad(e, mask, extraOnly(pads, gg.pads(), gg.spatial()), 0, x.dtype());
      } else {
        mask = pad(e, ones, pads, 0, x.dtype());
      }
      Object den = poolOp(e, "AvgPool", mask, gg);
      return e.op("Div", List.of(num, den), Map.of(), 1).get(0);
    });
  }

  /** GlobalAveragePool / GlobalMaxPool: TF Mean / Max over the spatial axes, keeping them. */
  public static List<Object> globalPool(TfEmitter e, String tfOp) {
    int r = e.node().inputs().get(0).type().rank();
    if (r == 4 && e.onlyChannelsLast(0)) {
      return List.of(e.channelsLast(e.op(tfOp, List.of(e.inputChannelsLast(0), TfShapes.longs(e, 1, 2)),
          Map.of("keep_dims", Boolean.TRUE), 1).get(0)));
    }
    long[] axes = new long[r - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
    return e.op(tfOp, List.of(e.input(0), TfShapes.longs(e, axes)), Map.of("keep_dims", Boolean.TRUE), 1);
  }

  @FunctionalInterface
  private interface PoolBody {
    /** Pools channels-last {@code xl} with window {@code g}; {@code pads} are the per-axis [begin, end] pairs. */
    Object apply(Object xl, Windows.Geometry g, long[] pads);
  }

  private static List<Object> pool(TfEmitter e, TensorType x, Windows.Geometry g, boolean ceil, PoolBody body) {
    // NOTE: read the canonical input only where it is used: reading it makes its NCHW form (a transpose).
    Object xi = g.spatial() == 2 ? null : e.input(0);
    boolean oneD = g.spatial() == 1;
    int n = g.spatial();
    long[] pads = new long[2 * n];
    for (int i = 0; i < n; i++) {
      pads[2 * i] = g.pads()[i];
      pads[2 * i + 1] = g.pads()[i + n] + (ceil ? ceilExtra(x, g, i) : 0);
    }
    if (oneD) {
      g = promote(g);
      pads = new long[] {0, 0, pads[0], pads[1]};
      xi = expand(e, xi, 2);
    }
    int r = g.spatial() + 2;
    if (r == 4 && !oneD) return List.of(e.channelsLast(body.apply(e.inputChannelsLast(0), g, pads)));
    Object y = body.apply(TfShapes.transpose(e, xi, toLast(r)), g, pads);
    y = TfShapes.transpose(e, y, fromLast(r));
    return List.of(oneD ? squeeze(e, y, 2) : y);
  }

  /** Cells ceil mode needs past the end padding so the last window fits (TF pools VALID only). */
  static long ceilExtra(TensorType x, Windows.Geometry g, int i) {
    int n = g.spatial();
    if (!x.shape().dim(i + 2).isStatic()) {
      throw new UnsupportedOpException("pooling with ceil on a dynamic spatial axis has no TensorFlow lowering");
    }
    long size = x.shape().dim(i + 2).size();
    long out = TypeRules.windowOut("axis", x.shape().dim(i + 2), g.kernel()[i], g.strides()[i], 1, g.pads()[i], g.pads()[i + n], true).size();
    long need = (out - 1) * g.strides()[i] + g.kernel()[i] - (size + g.pads()[i] + g.pads()[i + n]);
    return Math.max(0, need);
  }

  static long[] withEnds(long[] onnxPads, int n) {
    long[] p = new long[2 * n];
    for (int i = 0; i < n; i++) {
      p[2 * i] = onnxPads[i];
      p[2 * i + 1] = onnxPads[i + n];
    }
    return p;
  }

  static long[] extraOnly(long[] pairs, long[] onnxPads, int n) {
    long[] p = new long[2 * n];
    long[] explicit = withEnds(onnxPads, n);
    for (int i = 0; i < 2 * n; i++) p[i] = pairs[i] - explicit[i];
    return p;
  }

  /** Windowed TF op on channels-last data with explicit padding already applied or given. */
  static Object window(TfEmitter e, String op, Object xl, Object wl, Windows.Geometry g) {
    int r = g.spatial() + 2;
    if (strided1x1(g)) {
      xl = subsample(e, pad(e, xl, withEnds(g.pads(), g.spatial()), 0, e.node().inputs().get(0).type().dtype()), g.strides());
      g = unitStride(g);
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("strides", around(g.strides()));
    attrs.put("dilations", around(g.dilations()));
    if (r == 4 && op.equals("DepthwiseConv2dNative")) {
      // NOTE: with oneDNN on, DepthwiseConv2dNative with EXPLICIT padding aborts the process (a CHECK in
      // tensor_format.h), so depthwise convs pad first and run VALID.
      xl = pad(e, xl, withEnds(g.pads(), g.spatial()), 0, e.node().inputs().get(0).type().dtype());
      attrs.put("padding", "VALID");
      attrs.put("data_format", "NHWC");
    } else if (r == 4) {
      putPadding(attrs, g, inputSpatial(e.node().inputs().get(0).type(), g));
      attrs.put("data_format", "NHWC");
    } else {
      // Conv3D has no EXPLICIT padding: pad first, then VALID.
      xl = pad(e, xl, withEnds(g.pads(), g.spatial()), 0, e.node().inputs().get(0).type().dtype());
      attrs.put("padding", "VALID");
      attrs.put("data_format", "NDHWC");
    }
    return e.op(op, List.of(xl, wl), attrs, 1).get(0);
  }

  /**
   * TF's padding attributes for a 2-D window over {@code inSpatial} (-1 for a dynamic size): {@code VALID}
   * or {@code SAME} when either names exactly the pads of {@code g}, else {@code EXPLICIT}. NOTE: with
   * oneDNN on, TF runs Conv2DBackpropFilter/Input on oneDNN only for VALID/SAME; EXPLICIT falls back to
   * Eigen's kernels, 5-6x slower on LeNet-5's filter gradient.
   */
  static void putPadding(Map<String, Object> attrs, Windows.Geometry g, long[] inSpatial) {
    String padding = padding(g, inSpatial);
    attrs.put("padding", padding);
    long[] pads = g.pads();
    if (padding.equals("EXPLICIT")) attrs.put("explicit_paddings", new long[] {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0});
  }

  /** VALID, SAME or EXPLICIT: the TF padding that names exactly the pads of {@code g} over {@code inSpatial}. */
  static String padding(Windows.Geometry g, long[] inSpatial) {
    long[] pads = g.pads();
    boolean valid = true;
    for (long p : pads) valid &= p == 0;
    if (valid) return "VALID";
    for (int i = 0; i < 2; i++) {
      long in = inSpatial[i];
      if (in < 0) return "EXPLICIT";
      // TF's SAME: out = ceil(in / s); total = max((out - 1) s + (k - 1) d + 1 - in, 0); begin = total / 2.
      long s = g.strides()[i];
      long out = (in + s - 1) / s;
      long total = Math.max((out - 1) * s + (g.kernel()[i] - 1) * g.dilations()[i] + 1 - in, 0);
      if (pads[i] != total / 2 || pads[i + 2] != total - total / 2) return "EXPLICIT";
    }
    return "SAME";
  }

  /** Whether {@link #putPadding} would need EXPLICIT padding (neither VALID nor SAME names the pads). */
  static boolean needsExplicit(Windows.Geometry g, long[] inSpatial) { return padding(g, inSpatial).equals("EXPLICIT"); }

  /**
   * Whether {@code g} is a 1x1 (1x1x1) window with a stride above 1. NOTE: oneDNN 3.5 runs such convs
   * through a "reduce to unit stride" copy whose filter-gradient kernel writes past its buffer when the
   * input has fewer channels than a vector block (docs/cpu-correctness.md): wrong gradients, on AVX2 too.
   * Kiln never emits them: a strided 1x1 window reads every s-th cell, so it is the unit-stride window
   * over the subsampled input ({@link #subsample}), which is also less work.
   */
  static boolean strided1x1(Windows.Geometry g) {
    boolean strided = false;
    for (int i = 0; i < g.spatial(); i++) {
      if (g.kernel()[i] != 1) return false;
      strided |= g.strides()[i] != 1;
    }
    return strided;
  }

  /** {@link #subsample} as a 1-cell strided average pool (f32); {@code -Dkiln.tf.poolSubsample=false}: TF's StridedSlice. */
  static final boolean POOL_SUBSAMPLE = !"false".equals(System.getProperty("kiln.tf.poolSubsample"));

  /** Every {@code strides}-th cell of channels-last {@code xl} along each spatial axis, from the first. */
  static Object subsample(TfEmitter e, Object xl, long[] strides) {
    int r = strides.length + 2;
    if (POOL_SUBSAMPLE && strides.length <= 3 && e.node().inputs().get(0).type().dtype() == DType.F32) {
      // NOTE: a 1-cell average pool of stride s picks the cells StridedSlice does (VALID gives
      // floor((n - 1) / s) + 1 of them, from the first; 0 + x divided by 1 is x, NaN and infinities included,
      // only -0 becomes +0, which the conv's sum from 0 makes anyway), as oneDNN's vectorised pooling instead of
      // TF's generic strided copy; a speed lever measured by kiln bench --profile (docs/benchmarks.md). Not max
      // pooling: oneDNN's 1-cell max pool turns NaN into -FLT_MAX (PoolSubsampleTest).
      long[] ones = new long[strides.length];
      java.util.Arrays.fill(ones, 1);
      return poolOp(e, "AvgPool", xl, new Windows.Geometry(ones, strides, new long[2 * strides.length], ones));
    }
    long[] step = around(strides);
    long all = (1L << r) - 1;
    return e.op("StridedSlice", List.of(xl, TfShapes.longs(e, new long[r]), TfShapes.longs(e, new long[r]), TfShapes.longs(e, step)),
        Map.of("begin_mask", all, "end_mask", all), 1).get(0);
  }

  /** {@code g} with unit strides and no padding (a 1x1 window after {@link #subsample} of the padded input). */
  static Windows.Geometry unitStride(Windows.Geometry g) {
    long[] ones = new long[g.spatial()];
    java.util.Arrays.fill(ones, 1);
    return new Windows.Geometry(g.kernel(), ones, new long[g.pads().length], g.dilations());
  }

  /** {@code g} without padding (for a window op run VALID on an input padded beforehand). */
  static Windows.Geometry unpadded(Windows.Geometry g) {
    return new Windows.Geometry(g.kernel(), g.strides(), new long[g.pads().length], g.dilations());
  }

  /** The spatial sizes of {@code x} ([N, C, *spatial]) as a 2-D window sees them (-1 when dynamic). */
  static long[] inputSpatial(TensorType x, Windows.Geometry g) {
    long[] s = new long[2];
    int n = x.rank() - 2;
    for (int i = 0; i < 2; i++) {
      int axis = n == 1 ? (i == 0 ? -1 : 2) : i + 2;
      s[i] = axis < 0 ? 1 : x.shape().dim(axis).isStatic() ? x.shape().dim(axis).size() : -1;
    }
    return s;
  }

  static Object poolOp(TfEmitter e, String op, Object xl, Windows.Geometry g) {
    int r = g.spatial() + 2;
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("ksize", around(g.kernel()));
    attrs.put("strides", around(g.strides()));
    attrs.put("padding", "VALID");
    attrs.put("data_format", r == 4 ? "NHWC" : "NDHWC");
    return e.op(r == 4 ? op : op + "3D", List.of(xl), attrs, 1).get(0);
  }

  /** TF PadV2 of channels-last {@code xl} by per-spatial-axis [begin, end] pairs with {@code value}. */
  static Object pad(TfEmitter e, Object xl, long[] pairs, double value, DType dtype) {
    boolean none = true;
    for (long q : pairs) none &= q == 0;
    if (none) return xl;
    int n = pairs.length / 2;
    long[] p = new long[2 * (n + 2)];
    System.arraycopy(pairs, 0, p, 2, 2 * n);
    Object paddings = e.constant(HostTensor.ofLongs(p, n + 2, 2));
    return e.op("PadV2", List.of(xl, paddings, e.constant(HostTensor.scalar(dtype, value))), Map.of(), 1).get(0);
  }

  static double lowest(DType d) {
    return switch (d) {
      case U8, U16, U32, U64 -> 0;
      case I8 -> Byte.MIN_VALUE;
      case I16 -> Short.MIN_VALUE;
      case I32 -> Integer.MIN_VALUE;
      case I64 -> Long.MIN_VALUE;
      default -> Double.NEGATIVE_INFINITY;
    };
  }

  static List<Object> split(TfEmitter e, Object v, int axis, long parts) {
    return e.op("Split", List.of(e.constant(HostTensor.ofInts(new int[] {axis})), v), Map.of("num_split", parts), (int) parts);
  }

  static Object expand(TfEmitter e, Object v, long axis) {
    return e.op("ExpandDims", List.of(v, TfShapes.scalar(e, axis)), Map.of(), 1).get(0);
  }

  static Object squeeze(TfEmitter e, Object v, long axis) {
    return e.op("Squeeze", List.of(v), Map.of("squeeze_dims", new long[] {axis}), 1).get(0);
  }

  /** A 1-D window as a 2-D one with a leading spatial axis of size 1. */
  static Windows.Geometry promote(Windows.Geometry g) {
    return new Windows.Geometry(new long[] {1, g.kernel()[0]}, new long[] {1, g.strides()[0]},
        new long[] {0, g.pads()[0], 0, g.pads()[1]}, new long[] {1, g.dilations()[0]});
  }

  /** {@code [1, *v, 1]}: TF's per-axis lists cover batch and channels too. */
  static long[] around(long[] v) {
    long[] a = new long[v.length + 2];
    java.util.Arrays.fill(a, 1);
    System.arraycopy(v, 0, a, 1, v.length);
    return a;
  }

  static long[] toLast(int r) {
    long[] p = new long[r];
    for (int i = 1; i < r - 1; i++) p[i] = i + 1;
    p[r - 1] = 1;
    return p;
  }

  static long[] fromLast(int r) {
    long[] p = new long[r];
    p[1] = r - 1;
    for (int i = 2; i < r; i++) p[i] = i - 1;
    return p;
  }
}
