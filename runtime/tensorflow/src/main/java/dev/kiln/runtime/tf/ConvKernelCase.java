package dev.kiln.runtime.tf;

import dev.kiln.spec.op.HostConv;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * One call of a TensorFlow convolution kernel, exactly as a graph would make it (op type, layout,
 * attributes, input sizes), paired with the answer {@link HostConv} computes for it. The geometry is
 * kept channels-first; the TF form is derived: data in NHWC/NDHWC or NCHW/NCDHW, filters as
 * {@code [*K, C/group, O]} (depthwise: {@code [kh, kw, C, multiplier]}).
 *
 * @param kind which product of the convolution the kernel computes
 * @param depthwise a DepthwiseConv2dNative* kernel (the geometry's group equals its input channels)
 * @param channelsLast NHWC/NDHWC data, else NCHW/NCDHW
 * @param padding TF's padding attribute: VALID, SAME or EXPLICIT (the geometry holds the pads it means)
 * @param geometry the convolution, channels-first
 */
public record ConvKernelCase(Kind kind, boolean depthwise, boolean channelsLast, String padding, HostConv geometry) {

  /** Which of the three products of a convolution a kernel computes. */
  public enum Kind { FORWARD, INPUT_GRAD, FILTER_GRAD }

  public ConvKernelCase {
    int r = geometry.in().length;
    if (r != 2 && r != 3) throw new IllegalArgumentException("TF convolution kernels are 2-D or 3-D, got " + r + "-D");
    if (depthwise && (r != 2 || geometry.group() != geometry.c())) {
      throw new IllegalArgumentException("a depthwise kernel is 2-D with one group per input channel: " + geometry);
    }
  }

  /**
   * A case whose pads follow TF's {@code padding}: VALID none, SAME TF's rule (total =
   * max((ceil(in/s) - 1) s + (k - 1) d + 1 - in, 0), the smaller half first); EXPLICIT keeps {@code pads}.
   */
  public static ConvKernelCase of(Kind kind, boolean depthwise, boolean channelsLast, String padding, int n, int c, int o,
                                  int group, int[] in, int[] kernel, int[] strides, int[] dilations, int[] pads) {
    int r = in.length;
    int[] p = switch (padding) {
      case "VALID" -> new int[2 * r];
      case "SAME" -> {
        int[] q = new int[2 * r];
        for (int i = 0; i < r; i++) {
          int out = (in[i] + strides[i] - 1) / strides[i];
          int total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i], 0);
          q[i] = total / 2;
          q[i + r] = total - total / 2;
        }
        yield q;
      }
      case "EXPLICIT" -> pads.clone();
      default -> throw new IllegalArgumentException("padding " + padding);
    };
    return new ConvKernelCase(kind, depthwise, channelsLast, padding, new HostConv(n, c, o, group, in, kernel, strides, dilations, p));
  }

  private int rank() { return geometry.in().length + 2; }

  /** The TF op type, e.g. {@code Conv2DBackpropFilter}. */
  public String tfOp() {
    if (depthwise) {
      return switch (kind) {
        case FORWARD -> "DepthwiseConv2dNative";
        case INPUT_GRAD -> "DepthwiseConv2dNativeBackpropInput";
        case FILTER_GRAD -> "DepthwiseConv2dNativeBackpropFilter";
      };
    }
    boolean three = rank() == 5;
    return switch (kind) {
      case FORWARD -> three ? "Conv3D" : "Conv2D";
      case INPUT_GRAD -> three ? "Conv3DBackpropInputV2" : "Conv2DBackpropInput";
      case FILTER_GRAD -> three ? "Conv3DBackpropFilterV2" : "Conv2DBackpropFilter";
    };
  }

  public String dataFormat() {
    return rank() == 5 ? (channelsLast ? "NDHWC" : "NCDHW") : (channelsLast ? "NHWC" : "NCHW");
  }

  /** The op's attributes: strides, dilations, padding (and explicit_paddings), data_format. */
  public Map<String, Object> attrs() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("strides", perAxis(geometry.strides(), 1));
    a.put("dilations", perAxis(geometry.dilations(), 1));
    a.put("padding", padding);
    if (padding.equals("EXPLICIT")) {
      int r = geometry.in().length;
      long[] explicit = new long[2 * rank()];
      for (int i = 0; i < r; i++) {
        int axis = channelsLast ? i + 1 : i + 2;
        explicit[2 * axis] = geometry.pads()[i];
        explicit[2 * axis + 1] = geometry.pads()[i + r];
      }
      a.put("explicit_paddings", explicit);
    }
    a.put("data_format", dataFormat());
    return a;
  }

  /** A per-axis attribute in data-layout order, with {@code fill} on batch and channels. */
  private long[] perAxis(int[] spatial, long fill) {
    long[] v = new long[rank()];
    Arrays.fill(v, fill);
    for (int i = 0; i < spatial.length; i++) v[channelsLast ? i + 1 : i + 2] = spatial[i];
    return v;
  }

  /** Channels-first shape {@code s} in the kernel's data layout. */
  public long[] dataShape(long[] s) {
    return channelsLast ? permuteShape(s, toLast()) : s.clone();
  }

  /** The filter's TF shape. */
  public long[] filterShape() {
    long[] w = geometry.wShape();
    if (depthwise) return new long[] {w[2], w[3], geometry.c(), geometry.o() / geometry.c()};
    return permuteShape(w, filterPerm());
  }

  /** Channels-first data (x, y or their gradients) in the kernel's layout. */
  public double[] toData(double[] v, long[] channelsFirstShape) {
    return channelsLast ? HostConv.permute(v, channelsFirstShape, toLast()) : v;
  }

  /** A canonical filter {@code [O, C/g, *K]} in TF's filter layout. */
  public double[] toFilter(double[] w) {
    long[] s = geometry.wShape();
    if (depthwise) {
      // [C*m, 1, kh, kw] is [C, m, kh, kw] row-major; TF wants [kh, kw, C, m].
      long m = geometry.o() / geometry.c();
      return HostConv.permute(w, new long[] {geometry.c(), m, s[2], s[3]}, new int[] {2, 3, 0, 1});
    }
    return HostConv.permute(w, s, filterPerm());
  }

  private int[] toLast() {
    int r = rank();
    int[] p = new int[r];
    for (int i = 1; i < r - 1; i++) p[i] = i + 1;
    p[r - 1] = 1;
    return p;
  }

  private int[] filterPerm() {
    int r = rank();
    int[] p = new int[r];
    for (int i = 0; i < r - 2; i++) p[i] = i + 2;
    p[r - 2] = 1;
    p[r - 1] = 0;
    return p;
  }

  private static long[] permuteShape(long[] s, int[] perm) {
    long[] out = new long[s.length];
    for (int i = 0; i < s.length; i++) out[i] = s[perm[i]];
    return out;
  }

  /** Inputs and answer of one run, all in the kernel's layouts. */
  public record Operands(double[] first, long[] firstShape, double[] second, long[] secondShape, int[] sizes,
                         double[] expected, long[] expectedShape) {}

  /**
   * Deterministic inputs ({@link HostConv#halves}) and the reference answer.
   * Forward: (x, filter); input gradient: (sizes, filter, dy); filter gradient: (x, sizes, dy).
   */
  public Operands operands(long seed) {
    Random rnd = new Random(seed);
    double[] x = HostConv.halves(rnd, HostConv.count(geometry.xShape()));
    double[] w = HostConv.halves(rnd, HostConv.count(geometry.wShape()));
    double[] dy = HostConv.halves(rnd, HostConv.count(geometry.yShape()));
    long[] xs = dataShape(geometry.xShape());
    long[] ys = dataShape(geometry.yShape());
    long[] fs = filterShape();
    return switch (kind) {
      case FORWARD -> new Operands(toData(x, geometry.xShape()), xs, toFilter(w), fs, null,
          toData(geometry.forward(x, w), geometry.yShape()), ys);
      case INPUT_GRAD -> new Operands(toFilter(w), fs, toData(dy, geometry.yShape()), ys, ints(xs),
          toData(geometry.inputGrad(dy, w), geometry.xShape()), xs);
      case FILTER_GRAD -> new Operands(toData(x, geometry.xShape()), xs, toData(dy, geometry.yShape()), ys, ints(fs),
          toFilter(geometry.filterGrad(x, dy)), fs);
    };
  }

  private static int[] ints(long[] v) {
    int[] s = new int[v.length];
    for (int i = 0; i < v.length; i++) s[i] = (int) v[i];
    return s;
  }

  /** A oneDNN-style description: {@code Conv2DBackpropFilter NHWC SAME mb2ic3oc8g1_in12x12_k3x3_s1x1_d1x1_p1,1,1,1}. */
  public String label() {
    HostConv g = geometry;
    return tfOp() + " " + dataFormat() + " " + padding + " mb" + g.n() + "ic" + g.c() + "oc" + g.o() + "g" + g.group()
        + "_in" + join(g.in()) + "_k" + join(g.kernel()) + "_s" + join(g.strides()) + "_d" + join(g.dilations())
        + "_p" + Arrays.toString(g.pads()).replaceAll("[\\[\\] ]", "");
  }

  private static String join(int[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : "x").append(v[i]);
    return s.toString();
  }

  @Override public String toString() { return label(); }
}
