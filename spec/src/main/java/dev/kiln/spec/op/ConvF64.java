package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Float64 forms of Conv, its filter gradient and ConvTranspose (its input gradient) in plain ONNX ops, because ONNX
 * Runtime's CPU Conv and ConvTranspose kernels are float-only ("Could not find an implementation for Conv(11)" on a
 * double graph, measured with ONNX Runtime 1.28). Each is spelled through im2col: the padded input's windows are cut
 * out with strided Slices (one per kernel offset) into patches [N, C*K, P] (K kernel cells, P output cells), and the
 * contraction is one f64 MatMul; ConvTranspose scatters the columns back with Pads and adds them (col2im). Every
 * product and sum is f64 arithmetic on the same terms as the native kernels, only summed in another order, so the
 * results agree with TensorFlow's f64 kernels to f64 rounding (~1e-16 relative), not to an approximation.
 *
 * <p>Groups run one after the other on their channel slices. Needs static channel and spatial sizes (the batch axis
 * may be symbolic) and opset 13 or later (Slice, Pad, Unsqueeze and ReduceSum with tensor inputs).
 */
public final class ConvF64 {
  private ConvF64() {}

  /** Whether {@code e}'s node computes in f64 (the forms below apply). */
  public static boolean applies(OnnxEmitter e) { return e.node().input(0).type().dtype() == DType.F64 && e.opset() >= 13; }

  /** y = Conv(x, w[, b]): per group, Wr [O, C*K] times patches(x) [N, C*K, P], reshaped to [N, O, *out]; plus b. */
  public static void conv(OnnxEmitter e, Windows.Geometry g) {
    Node n = e.node();
    long group = n.attrs().getLong("group");
    TensorType x = n.input(0).type();
    long c = channels(x) / group;
    long o = n.input(1).type().shape().dim(0).size() / group;
    long[] out = spatial(n.output().type());
    List<String> parts = new ArrayList<>();
    for (long gi = 0; gi < group; gi++) {
      String patches = patches(e, part(e, e.input(0), 1, gi, c, group), c, g, out);
      String wr = reshape(e, part(e, e.input(1), 0, gi, o, group), new long[] {o, c * cells(g.kernel())});
      parts.add(reshape(e, op(e, "MatMul", wr, patches), concat(new long[] {0, o}, out)));
    }
    String y = join(e, parts, 1);
    if (n.inputs().size() > 2 && n.input(2) != null) y = op(e, "Add", y, reshape(e, e.input(2), biasShape(o * group, out.length)));
    e.emit("Identity", List.of(y), List.of(e.output(0)), Map.of());
  }

  /** dw = ConvFilterGrad(x, gy): per group, the batch sum of gy [N, O, P] times patches(x)^T [N, P, C*K], as [O, C, *kernel]. */
  public static void filterGrad(OnnxEmitter e, Windows.Geometry g) {
    Node n = e.node();
    long group = n.attrs().getLong("group");
    TensorType gy = n.input(1).type();
    long c = channels(n.input(0).type()) / group;
    long o = channels(gy) / group;
    long[] out = spatial(gy);
    List<String> parts = new ArrayList<>();
    for (long gi = 0; gi < group; gi++) {
      String patches = patches(e, part(e, e.input(0), 1, gi, c, group), c, g, out);
      String pt = e.fresh("patches_t");
      e.emit("Transpose", List.of(patches), List.of(pt), Map.of("perm", new long[] {0, 2, 1}));
      String gyr = reshape(e, part(e, e.input(1), 1, gi, o, group), new long[] {0, o, cells(out)});
      String sum = e.fresh("dw_sum");
      e.emit("ReduceSum", List.of(op(e, "MatMul", gyr, pt), ints(e, new long[] {0})), List.of(sum), Map.of("keepdims", 0L));
      parts.add(reshape(e, sum, concat(new long[] {o, c}, g.kernel())));
    }
    e.emit("Identity", List.of(join(e, parts, 0)), List.of(e.output(0)), Map.of());
  }

  /**
   * dx = ConvTranspose(gy, w[, b]) of output size {@code in} (the node's output type): per group, columns Wr^T [C*K, O]
   * times gy [N, O, P], then each kernel offset's column block, spread by the stride (zeros between), padded into place
   * in the padded output and summed (col2im), then the conv padding cropped off.
   */
  public static void transpose(OnnxEmitter e, Windows.Geometry g) {
    Node n = e.node();
    long group = n.attrs().getLong("group");
    TensorType gy = n.input(0).type();
    long o = channels(gy) / group;
    long c = n.input(1).type().shape().dim(1).size();
    long[] out = spatial(gy);
    long[] in = spatial(n.output().type());
    List<String> parts = new ArrayList<>();
    for (long gi = 0; gi < group; gi++) {
      String wr = reshape(e, part(e, e.input(1), 0, gi, o, group), new long[] {o, c * cells(g.kernel())});
      String wt = e.fresh("w_t");
      e.emit("Transpose", List.of(wr), List.of(wt), Map.of("perm", new long[] {1, 0}));
      String cols = op(e, "MatMul", wt, reshape(e, part(e, e.input(0), 1, gi, o, group), new long[] {0, o, cells(out)}));
      parts.add(col2im(e, n, cols, c, g, out, in));
    }
    String dx = join(e, parts, 1);
    if (n.inputs().size() > 2 && n.input(2) != null) dx = op(e, "Add", dx, reshape(e, e.input(2), biasShape(c * group, in.length)));
    e.emit("Identity", List.of(dx), List.of(e.output(0)), Map.of());
  }

  /** Columns [N, C*K, P] summed back into an image [N, C, *in]: each kernel offset's block placed by Pad, then added. */
  private static String col2im(OnnxEmitter e, Node n, String cols, long c, Windows.Geometry g, long[] out, long[] in) {
    int s = out.length;
    long k = cells(g.kernel());
    String blocks = reshape(e, cols, concat(new long[] {0, c, k}, out));
    List<String> placed = new ArrayList<>();
    long[] offset = new long[s];
    for (int cell = 0; cell < k; cell++) {
      String block = slice(e, blocks, new long[] {cell}, new long[] {cell + 1}, new long[] {2}, new long[] {1});
      String b = e.fresh("block");
      e.emit("Squeeze", List.of(block, ints(e, new long[] {2})), List.of(b), Map.of());
      long[] sizes = out.clone();
      for (int i = 0; i < s; i++) {
        b = spread(e, b, c, sizes, i, g.strides()[i]);
        sizes[i] = g.strides()[i] * (out[i] - 1) + 1;
      }
      long[] pads = new long[2 * (s + 2)];
      for (int i = 0; i < s; i++) {
        long full = in[i] + g.pads()[i] + g.pads()[i + s];
        pads[2 + i] = offset[i] * g.dilations()[i];
        pads[s + 4 + i] = full - pads[2 + i] - sizes[i];
        if (pads[s + 4 + i] < 0) throw new UnsupportedOpException(where(n) + ": f64 form: a window reaches past the output");
      }
      placed.add(pad(e, b, pads));
      for (int i = s - 1; i >= 0 && ++offset[i] == g.kernel()[i]; i--) offset[i] = 0;
    }
    String sum = placed.get(0);
    for (int i = 1; i < placed.size(); i++) sum = op(e, "Add", sum, placed.get(i));
    long[] starts = new long[s];
    long[] ends = new long[s];
    long[] axes = new long[s];
    long[] steps = new long[s];
    for (int i = 0; i < s; i++) {
      starts[i] = g.pads()[i];
      ends[i] = g.pads()[i] + in[i];
      axes[i] = i + 2;
      steps[i] = 1;
    }
    return slice(e, sum, starts, ends, axes, steps);
  }

  /** Group {@code gi}'s {@code size} entries of axis {@code axis} of {@code v} (all of it with one group). */
  private static String part(OnnxEmitter e, String v, long axis, long gi, long size, long group) {
    if (group == 1) return v;
    return slice(e, v, new long[] {gi * size}, new long[] {(gi + 1) * size}, new long[] {axis}, new long[] {1});
  }

  /** The groups' results joined along {@code axis}. */
  private static String join(OnnxEmitter e, List<String> parts, long axis) {
    if (parts.size() == 1) return parts.get(0);
    String y = e.fresh("groups");
    e.emit("Concat", parts, List.of(y), Map.of("axis", axis));
    return y;
  }

  private static long channels(TensorType t) {
    if (!t.shape().dim(1).isStatic()) throw new UnsupportedOpException("the f64 Conv form needs a static channel count, got " + t);
    return t.shape().dim(1).size();
  }

  /** x [N, C, *in] padded, cut into the windows of the output cells {@code out}: [N, C*K, P]. */
  private static String patches(OnnxEmitter e, String x, long c, Windows.Geometry g, long[] out) {
    int s = out.length;
    long[] pads = new long[2 * (s + 2)];
    for (int i = 0; i < s; i++) {
      pads[2 + i] = g.pads()[i];
      pads[s + 4 + i] = g.pads()[i + s];
    }
    String xp = pad(e, x, pads);
    long k = cells(g.kernel());
    List<String> windows = new ArrayList<>();
    long[] offset = new long[s];
    for (int cell = 0; cell < k; cell++) {
      long[] starts = new long[s];
      long[] ends = new long[s];
      long[] axes = new long[s];
      for (int i = 0; i < s; i++) {
        starts[i] = offset[i] * g.dilations()[i];
        ends[i] = starts[i] + g.strides()[i] * (out[i] - 1) + 1;
        axes[i] = i + 2;
      }
      String w = slice(e, xp, starts, ends, axes, g.strides());
      String u = e.fresh("window");
      e.emit("Unsqueeze", List.of(w, ints(e, new long[] {2})), List.of(u), Map.of());
      windows.add(u);
      for (int i = s - 1; i >= 0 && ++offset[i] == g.kernel()[i]; i--) offset[i] = 0;
    }
    String all = e.fresh("windows");
    e.emit("Concat", windows, List.of(all), Map.of("axis", 2L));
    return reshape(e, all, new long[] {0, c * k, cells(out)});
  }

  /** v [N, C, *sizes] with {@code stride - 1} zeros put between neighbours along spatial axis {@code axis}. */
  private static String spread(OnnxEmitter e, String v, long c, long[] sizes, int axis, long stride) {
    if (stride == 1) return v;
    int s = sizes.length;
    String u = e.fresh("spread");
    e.emit("Unsqueeze", List.of(v, ints(e, new long[] {axis + 3})), List.of(u), Map.of());
    long[] pads = new long[2 * (s + 3)];
    pads[s + 3 + axis + 3] = stride - 1;
    String padded = pad(e, u, pads);
    long[] merged = new long[s + 2];
    merged[1] = c;
    for (int i = 0; i < s; i++) merged[i + 2] = i == axis ? sizes[i] * stride : sizes[i];
    String flat = reshape(e, padded, merged);
    return slice(e, flat, new long[] {0}, new long[] {stride * (sizes[axis] - 1) + 1}, new long[] {axis + 2}, new long[] {1});
  }

  private static String where(Node n) { return n.opName() + " '" + n.output().name() + "' at " + n.location(); }

  private static long[] spatial(TensorType t) {
    long[] s = new long[t.rank() - 2];
    for (int i = 0; i < s.length; i++) {
      if (!t.shape().dim(i + 2).isStatic()) throw new UnsupportedOpException("the f64 Conv form needs static spatial sizes, got " + t);
      s[i] = t.shape().dim(i + 2).size();
    }
    return s;
  }

  private static long cells(long[] sizes) {
    long p = 1;
    for (long v : sizes) p *= v;
    return p;
  }

  private static long[] biasShape(long channels, int spatial) {
    long[] s = new long[spatial + 1];
    java.util.Arrays.fill(s, 1);
    s[0] = channels;
    return s;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static String ints(OnnxEmitter e, long[] v) { return e.constant(HostTensor.ofLongs(v, v.length), "i"); }

  private static String op(OnnxEmitter e, String type, String a, String b) {
    String y = e.fresh(type.toLowerCase(java.util.Locale.ROOT));
    e.emit(type, List.of(a, b), List.of(y), Map.of());
    return y;
  }

  private static String reshape(OnnxEmitter e, String v, long[] shape) {
    String y = e.fresh("reshape");
    e.emit("Reshape", List.of(v, ints(e, shape)), List.of(y), Map.of());
    return y;
  }

  private static String pad(OnnxEmitter e, String v, long[] pads) {
    boolean any = false;
    for (long p : pads) any |= p != 0;
    if (!any) return v;
    String y = e.fresh("pad");
    e.emit("Pad", List.of(v, ints(e, pads)), List.of(y), new LinkedHashMap<>(Map.of("mode", "constant")));
    return y;
  }

  private static String slice(OnnxEmitter e, String v, long[] starts, long[] ends, long[] axes, long[] steps) {
    String y = e.fresh("slice");
    e.emit("Slice", List.of(v, ints(e, starts), ints(e, ends), ints(e, axes), ints(e, steps)), List.of(y), Map.of());
    return y;
  }
}
