package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Strided slices along some axes, clamped like ONNX Slice (ends may be huge such as Long.MAX_VALUE;
 * negative starts/ends count from the end). ONNX Slice-13 (starts, ends, axes, steps as inputs).
 */
public final class Slice extends Op {
  @Override public String summary() { return "y = x[starts:ends:steps] along axes (ONNX clamping)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("starts", AttrKind.INTS, "first index per sliced axis")
        .required("ends", AttrKind.INTS, "end index (exclusive) per sliced axis")
        .attr("axes", AttrKind.INTS, new long[0], "sliced axes; empty means 0..len(starts)-1")
        .attr("steps", AttrKind.INTS, new long[0], "step per sliced axis; empty means all 1");
  }

  /** Axes and steps with defaults filled in: {@code {axes, steps}}, both normalised/checked against x. */
  public static long[][] resolve(TensorType x, Attrs a) {
    long[] starts = a.getLongs("starts");
    long[] ends = a.getLongs("ends");
    long[] axes = a.getLongs("axes");
    long[] steps = a.getLongs("steps");
    int n = starts.length;
    if (axes.length == 0) {
      axes = new long[n];
      for (int i = 0; i < n; i++) axes[i] = i;
    }
    if (steps.length == 0) steps = TypeRules.repeat(1, n);
    if (ends.length != n || axes.length != n || steps.length != n) {
      throw new ShapeException("starts, ends, axes and steps must have equal lengths, got " + n + ", " + ends.length
          + ", " + axes.length + ", " + steps.length);
    }
    boolean[] seen = new boolean[x.rank()];
    long[] norm = new long[n];
    for (int i = 0; i < n; i++) {
      int ax = x.shape().axis("Slice", axes[i]);
      if (seen[ax]) throw new ShapeException("axes " + Arrays.toString(axes) + " repeat axis " + ax);
      seen[ax] = true;
      norm[i] = ax;
      if (steps[i] == 0) throw new ShapeException("steps must be non-zero, got " + Arrays.toString(steps));
    }
    return new long[][] {norm, steps};
  }

  /** Output length of one sliced axis of static size {@code dim}, with ONNX's clamping. */
  static long length(long dim, long start, long end, long step) {
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    if (step > 0) {
      start = clamp(start, 0, dim);
      end = clamp(end, 0, dim);
      return end <= start ? 0 : (end - start + step - 1) / step;
    }
    start = clamp(start, 0, dim - 1);
    end = clamp(end, -1, dim - 1);
    return end >= start ? 0 : (start - end + (-step) - 1) / (-step);
  }

  private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[][] as = resolve(x, attrs);
    long[] starts = attrs.getLongs("starts");
    long[] ends = attrs.getLongs("ends");
    List<Dim> out = new ArrayList<>(x.shape().dims());
    for (int i = 0; i < starts.length; i++) {
      int ax = (int) as[0][i];
      Dim d = x.shape().dim(ax);
      long step = as[1][i];
      if (d.isStatic()) out.set(ax, Dim.of(length(d.size(), starts[i], ends[i], step)));
      // A whole dynamic axis (0 to "infinity", step 1) keeps its symbol; anything else is unknown.
      else if (!(starts[i] == 0 && ends[i] >= Integer.MAX_VALUE && step == 1)) out.set(ax, Dim.unknown());
    }
    return List.of(x.withShape(Shape.of(out)));
  }

  /**
   * A constant sliced on the host (byte copies, any dtype); a 1-D shape value's entries picked the same way
   * ({@code Shape(x)[1:]}); a fill keeps its value, with its sliced static dims shortened (a symbolic dim
   * only when sliced whole, as the type rule keeps it).
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      Folded x = in.get(0);
      long[][] as = resolve(x.type(), attrs);
      long[] starts = attrs.getLongs("starts");
      long[] ends = attrs.getLongs("ends");
      HostTensor t = x.constant();
      if (t != null) {
        if (!Folding.fits(inferTypes(Folding.types(in), attrs).get(0).shape().sizes())) return null;
        for (int i = 0; i < starts.length; i++) {
          int ax = (int) as[0][i];
          long[] idx = indices(t.shape()[ax], starts[i], ends[i], as[1][i]);
          t = HostArrays.gather(t, ax, idx, new long[] {idx.length});
        }
        return List.of(Folded.of(t));
      }
      if (x instanceof Folded.ShapeValue sv) {
        List<SymInt> out = new ArrayList<>();
        for (long i : indices(sv.entries().size(), starts[0], ends[0], as[1][0])) out.add(sv.entries().get((int) i));
        return List.of(Folded.ints(sv.dtype(), out, false));
      }
      if (x instanceof Folded.Fill f) {
        List<SymInt> dims = new ArrayList<>(f.dims());
        for (int i = 0; i < starts.length; i++) {
          int ax = (int) as[0][i];
          SymInt d = dims.get(ax);
          if (d.isStatic()) dims.set(ax, SymInt.of(length(d.value(), starts[i], ends[i], as[1][i])));
          else if (!(starts[i] == 0 && ends[i] >= Integer.MAX_VALUE && as[1][i] == 1)) return null;
        }
        return List.of(Folded.fill(f.value(), dims));
      }
      return null;
    };
  }

  /** The indices ONNX Slice takes from an axis of static size {@code dim}, in order, with its clamping. */
  static long[] indices(long dim, long start, long end, long step) {
    long n = length(dim, start, end, step);
    long first = start < 0 ? start + dim : start;
    first = step > 0 ? clamp(first, 0, dim) : clamp(first, 0, dim - 1);
    long[] idx = new long[(int) n];
    for (int k = 0; k < n; k++) idx[k] = first + k * step;
    return idx;
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Slice", 13, Slice::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    long[][] as = resolve(e.node().inputs().get(0).type(), a);
    List<String> ins = List.of(e.input(0), e.constant(longs(a.getLongs("starts")), "starts"),
        e.constant(longs(a.getLongs("ends")), "ends"), e.constant(longs(as[0]), "axes"), e.constant(longs(as[1]), "steps"));
    e.emit("Slice", ins, List.of(e.output(0)), Map.of());
  }

  private static HostTensor longs(long[] v) { return HostTensor.ofLongs(v, v.length); }

  @Override public TfLowering tf() { return TfLowering.custom("StridedSlice"); }

  /**
   * dx = gy placed back where it was taken from, zeros elsewhere, scatter-free: per sliced axis, a
   * negative step first reverses gy; a step s &gt; 1 interleaves s - 1 zeros after each element
   * (Unsqueeze, Pad, Reshape); then Pad (or Slice, when the interleaved run passes the end) restores
   * the axis length. Needs a static size on each sliced axis (and on the axes after it when s &gt; 1).
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      TensorType x = node.inputs().get(0).type();
      Attrs a = node.attrs();
      long[][] as = resolve(x, a);
      Value g = gys.get(0);
      for (int i = 0; i < as[0].length; i++) {
        g = backOneAxis(b, g, x, (int) as[0][i], a.getLongs("starts")[i], a.getLongs("ends")[i], as[1][i]);
      }
      return List.of(g);
    };
  }

  private static Value backOneAxis(GraphBuilder b, Value g, TensorType x, int ax, long start, long end, long step) {
    Dim d = x.shape().dim(ax);
    if (!d.isStatic()) {
      if (start == 0 && end >= Integer.MAX_VALUE && step == 1) return g;
      throw new UnsupportedOpException("Slice gradient needs a static size on sliced axis " + ax + " of " + x);
    }
    long size = d.size();
    long len = length(size, start, end, step);
    long s = Math.abs(step);
    long first = start < 0 ? start + size : start;
    first = step > 0 ? clamp(first, 0, size) : clamp(first, 0, size - 1) - (len - 1) * s;
    if (len == 0) first = 0;
    if (step < 0 && len > 1) {
      g = Ops.slice(b, g, new long[] {-1}, new long[] {Long.MIN_VALUE}, new long[] {ax}, new long[] {-1});
    }
    long span = len;
    if (s > 1 && len > 0) {
      int r = x.rank();
      long[] shape = new long[r];
      for (int j = 0; j < r; j++) {
        if (j < ax) shape[j] = 0;
        else if (j == ax) shape[j] = len * s;
        else if (g.type().shape().dim(j).isStatic()) shape[j] = g.type().shape().dim(j).size();
        else throw new UnsupportedOpException("Slice gradient with step " + step + " needs static axes after axis " + ax + " of " + x);
      }
      long[] pads = new long[2 * (r + 1)];
      pads[r + 1 + ax + 1] = s - 1;
      g = Ops.unsqueeze(b, g, new long[] {ax + 1});
      g = Ops.pad(b, g, pads);
      g = Ops.reshape(b, g, shape);
      span = len * s;
    }
    if (first + span > size) {
      g = Ops.slice(b, g, new long[] {0}, new long[] {size - first}, new long[] {ax}, new long[0]);
      span = size - first;
    }
    if (first == 0 && span == size) return g;
    long[] pads = new long[2 * x.rank()];
    pads[ax] = first;
    pads[ax + x.rank()] = size - first - span;
    return Ops.pad(b, g, pads);
  }
}
