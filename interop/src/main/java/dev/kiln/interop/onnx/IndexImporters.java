package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import java.util.Map;

/**
 * Index ops composed of IR ops: ArgMax/ArgMin (all opsets, {@code select_last_index} included) and
 * GatherElements (as a one-hot mask summed over the gathered axis, so it stays differentiable in data).
 */
final class IndexImporters {
  private IndexImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("ArgMax", (n, c) -> arg(c, false));
    m.put("ArgMin", (n, c) -> arg(c, true));
    m.put("GatherElements", IndexImporters::gatherElements);
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
      if (t == DType.U8 || t == DType.BOOL) throw c.unsupported("ArgMin of " + t + " inputs is not supported");
      x = c.step("Neg", Attrs.EMPTY, x);
    }
    Attrs a = Attrs.of("axis", axis, "keepdims", keep);
    if (!last) {
      c.define(c.apply1("ArgMax", a, x));
      return;
    }
    if (!s.dim((int) axis).isStatic()) throw c.unsupported("select_last_index needs a static size on the axis, is " + s.dim((int) axis));
    long d = s.dim((int) axis).size();
    Object rev = c.step("Slice", Attrs.of("starts", new long[] {-1}, "ends", new long[] {Long.MIN_VALUE},
        "axes", new long[] {axis}, "steps", new long[] {-1}), x);
    Object first = c.step("ArgMax", a, rev);
    c.define(c.apply1("Sub", Attrs.EMPTY, HostTensor.ofLongs(new long[] {d - 1}), first));
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
      data = c.step("Slice", Attrs.of("starts", new long[cut], "ends", java.util.Arrays.copyOf(ends, cut),
          "axes", java.util.Arrays.copyOf(axes, cut)), data);
    }
    Object wide = c.step("Unsqueeze", Attrs.of("axes", new long[] {axis + 1}), data);
    Object hot = c.step("OneHot", Attrs.of("depth", depth, "axis", axis, "dtype", dt), idx);
    c.define(c.apply1("ReduceSum", Attrs.of("axes", new long[] {axis}, "keepdims", false), c.step("Mul", Attrs.EMPTY, wide, hot)));
  }

  private static DType dtypeOf(Object o) { return o instanceof HostTensor t ? t.dtype() : ((Value) o).type().dtype(); }

  private static Shape shapeOf(Object o) { return o instanceof HostTensor t ? t.type().shape() : ((Value) o).type().shape(); }
}
