package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;

/**
 * Index ops composed of IR ops: ArgMax/ArgMin (all opsets, {@code select_last_index} included),
 * GatherElements (as a one-hot mask summed over the gathered axis, so it stays differentiable in data),
 * Hardmax (one-hot of the ArgMax) and Split (one Slice per output).
 */
final class IndexImporters {
  private IndexImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("ArgMax", (n, c) -> arg(c, false));
    m.put("ArgMin", (n, c) -> arg(c, true));
    m.put("GatherElements", IndexImporters::gatherElements);
    m.put("Hardmax", IndexImporters::hardmax);
    m.put("Split", IndexImporters::split);
  }

  /**
   * Hardmax-13: 1 at the first maximum along {@code axis}, 0 elsewhere = OneHot(ArgMax(x)). Before opset
   * 13 the input is seen as 2-D, flattened from {@code axis}; that equals the per-axis form only when
   * {@code axis} is the last axis, the one form imported there.
   */
  private static void hardmax(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    Object x = c.in(0);
    Shape s = shapeOf(x);
    int r = s.rank();
    long axis = c.attrInt("axis", c.opset() >= 13 ? -1 : 1);
    if (axis < -r || axis >= r) throw c.fail("axis " + axis + " is out of range for rank " + r);
    if (axis < 0) axis += r;
    if (c.opset() < 13 && axis != r - 1) throw c.unsupported("before opset 13 only axis = the last axis is supported");
    if (!s.dim((int) axis).isStatic()) throw c.unsupported("the axis must have a static size, is " + s.dim((int) axis));
    Object idx = Ops.argMax(c.step(), x, axis, false);
    c.define(Ops.oneHot(c, idx, s.dim((int) axis).size(), dtypeOf(x), axis));
  }

  /**
   * Split into the node's outputs along {@code axis}: sizes from the {@code split} input (13+) or
   * attribute (before 13), else equal parts of ceil(D / outputs) (the last one smaller, as in opset 18's
   * {@code num_outputs}); one IR Split.
   */
  /**
   * Split sizes computed at run time: output i is a DynamicSlice along the axis from the sum of the first i
   * sizes to the sum of the first i + 1 (sums of static Slices of the sizes vector, whose length is static).
   */
  private static void splitAtRunTime(NodeProto n, ImportContext c, long axis) {
    Object sizes = c.in(1);
    Shape ss = shapeOf(sizes);
    int outs = n.getOutputCount();
    if (dtypeOf(sizes) != DType.I64 || ss.rank() != 1 || !ss.dim(0).is(outs)) {
      throw c.unsupported("split computed at run time must be an i64 vector of " + outs + " sizes, is " + dtypeOf(sizes) + " " + ss);
    }
    Object axes = HostTensor.ofLongs(new long[] {axis}, 1);
    Object start = HostTensor.ofLongs(new long[] {0}, 1);
    for (int i = 0; i < outs; i++) {
      Object firstSizes = Ops.slice(c.step(), sizes, new long[] {0}, new long[] {i + 1});
      Object end = Ops.reduceSum(c.step(), firstSizes, new long[] {0}, true);
      c.define(i, Ops.dynamicSlice(c.step(), c.in(0), start, end, axes, null));
      start = end;
    }
  }

  private static void split(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "split", "num_outputs");
    Object x = c.in(0);
    Shape s = shapeOf(x);
    int r = s.rank();
    long axis = c.attrInt("axis", 0);
    if (axis < -r || axis >= r) throw c.fail("axis " + axis + " is out of range for rank " + r);
    if (axis < 0) axis += r;
    if (c.opset() >= 13 && c.hasInput(1) && c.constant(1) == null) {
      splitAtRunTime(n, c, axis);
      return;
    }
    if (!s.dim((int) axis).isStatic()) throw c.unsupported("the split axis must have a static size, is " + s.dim((int) axis));
    long d = s.dim((int) axis).size();
    int outs = n.getOutputCount();
    long[] sizes = c.opset() < 13 ? c.attrInts("split", null) : c.hasInput(1) ? c.requireConstant(1, "split").toLongs() : null;
    if (sizes == null) {
      long part = (d + outs - 1) / outs;
      sizes = new long[outs];
      for (int i = 0; i < outs; i++) sizes[i] = Math.max(0, Math.min(part, d - part * i));
    }
    if (sizes.length != outs) throw c.fail("split has " + sizes.length + " sizes for " + outs + " outputs");
    long total = 0;
    for (long v : sizes) {
      if (v < 0) throw c.fail("split sizes must be >= 0, got " + java.util.Arrays.toString(sizes));
      total += v;
    }
    if (total != d) throw c.fail("split sizes " + java.util.Arrays.toString(sizes) + " do not add up to the axis size " + d);
    List<Object> parts = Ops.split(c, x, axis, sizes, 0L);
    for (int i = 0; i < outs; i++) c.define(i, parts.get(i));
  }

  /**
   * ArgMax on x (ArgMin on -x). With {@code select_last_index} the axis is reversed first and the
   * index mapped back: last = (D - 1) - first-in-reversed.
   * NOTE: -x is exact for floats and signed integers except the smallest integer, which wraps to itself
   * (so ArgMin over a tensor holding it may pick another element); unsigned inputs are refused.
   */
  private static void arg(ImportContext c, boolean min) {
    c.onlyAttrs("axis", "keepdims", "select_last_index");
    Object x = c.in(0);
    Shape s = shapeOf(x);
    if (s.rank() == 0) throw c.fail("input must have rank >= 1");
    long axis = c.attrInt("axis", 0);
    if (axis < -s.rank() || axis >= s.rank()) throw c.fail("axis " + axis + " is out of range for rank " + s.rank());
    if (axis < 0) axis += s.rank();
    boolean keep = c.attrInt("keepdims", 1) != 0;
    boolean last = c.attrInt("select_last_index", 0) != 0;
    if (min) {
      DType t = dtypeOf(x);
      if (t.isUnsigned() || t == DType.BOOL) throw c.unsupported("ArgMin of " + t + " inputs is not supported");
      x = Ops.neg(c.step(), x);
    }
    Attrs a = Attrs.of("axis", axis, "keepdims", keep);
    if (!last) {
      c.define(Ops.argMax(c, x, a));
      return;
    }
    if (!s.dim((int) axis).isStatic()) throw c.unsupported("select_last_index needs a static size on the axis, is " + s.dim((int) axis));
    long d = s.dim((int) axis).size();
    Object rev = Ops.slice(c.step(), x, new long[] {-1}, new long[] {Long.MIN_VALUE}, new long[] {axis}, new long[] {-1});
    Object first = Ops.argMax(c.step(), rev, a);
    c.define(Ops.sub(c, HostTensor.ofLongs(new long[] {d - 1}), first));
  }

  /**
   * out[p] = data[p with axis replaced by indices[p]]: data (cut to the indices' extent on the other
   * axes) gets a size-1 axis after {@code axis}, the indices a one-hot axis of size D at {@code axis}
   * (negative indices count from the end, as in ONNX), and the product is summed over {@code axis}.
   * NOTE: summing adds zeros, so the gathered value is exact for finite data; an infinity or NaN elsewhere
   * on the axis would spoil it (0 * inf = NaN), as would an out-of-range index (giving 0, where ONNX
   * leaves it an error).
   */
  private static void gatherElements(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    Object data = c.in(0);
    Object idx = c.in(1);
    Shape ds = shapeOf(data);
    Shape is = shapeOf(idx);
    int r = ds.rank();
    if (r == 0 || is.rank() != r) throw c.fail("data and indices must have the same rank >= 1, got " + ds + " and " + is);
    long axis = c.attrInt("axis", 0);
    if (axis < -r || axis >= r) throw c.fail("axis " + axis + " is out of range for rank " + r);
    if (axis < 0) axis += r;
    if (!ds.isStatic() || !is.isStatic()) throw c.unsupported("data and indices must have static shapes, got " + ds + " and " + is);
    DType dt = dtypeOf(data);
    if (dt == DType.BOOL) throw c.unsupported("bool data is not supported");
    DType it = dtypeOf(idx);
    if (it != DType.I32 && it != DType.I64) throw c.fail("indices must be i32 or i64, got " + it);
    long depth = ds.dim((int) axis).size();
    int cut = 0;
    long[] ends = new long[r];
    long[] axes = new long[r];
    for (int i = 0; i < r; i++) {
      if (i == axis || ds.dim(i).size() == is.dim(i).size()) continue;
      if (is.dim(i).size() > ds.dim(i).size()) throw c.fail("indices " + is + " exceed data " + ds + " on axis " + i);
      ends[cut] = is.dim(i).size();
      axes[cut++] = i;
    }
    if (cut > 0) {
      data = Ops.slice(c.step(), data, new long[cut], java.util.Arrays.copyOf(ends, cut), java.util.Arrays.copyOf(axes, cut), new long[0]);
    }
    Object wide = Ops.unsqueeze(c.step(), data, new long[] {axis + 1});
    Object hot = Ops.oneHot(c.step(), idx, depth, dt, axis);
    c.define(Ops.reduceSum(c, Ops.mul(c.step(), wide, hot), new long[] {axis}, false));
  }

  private static DType dtypeOf(Object o) { return ImportContext.typeOf(o).dtype(); }

  private static Shape shapeOf(Object o) { return ImportContext.typeOf(o).shape(); }
}
