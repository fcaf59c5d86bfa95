package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Shape computations on dims known only at run time (a dynamic batch axis). Exporters such as
 * {@code torch.onnx.export} compute Reshape targets and zero initial states from {@code Shape(x)}; the IR has
 * no shape tensors, so the importer keeps such a tensor on the host as a {@link ShapeTensor}: a list of
 * entries, each a static size or a static multiple of a run-time dim, and folds Gather, Unsqueeze, Squeeze,
 * Concat, Cast, Identity, Mul, Div, Add, Sub and Slice on it. A result whose entries are all static becomes
 * an ordinary constant. Consumers: Reshape (each entry becomes its size, 0 where it is the input's own dim at
 * that position, or the one -1) and ConstantOfShape, whose run-time-shaped {@link Fill} is accepted as a zero
 * initial state of LSTM, GRU or RNN (the same as leaving that input out). Anything else is an unsupported form.
 */
final class DynamicShapes {
  private DynamicShapes() {}

  /** One entry of a shape tensor: {@code factor * dim}, or the static {@code factor} when dim is null. */
  record Entry(long factor, Dim dim) {
    static final Entry OPAQUE = new Entry(1, Dim.unknown());

    static Entry of(long v) { return new Entry(v, null); }

    boolean isStatic() { return dim == null; }

    @Override public String toString() { return isStatic() ? String.valueOf(factor) : factor == 1 ? dim.toString() : factor + "*" + dim; }
  }

  /** An integer tensor of rank 0 (one entry) or 1 holding a shape with run-time entries. */
  record ShapeTensor(DType dtype, List<Entry> entries, boolean scalar) {
    @Override public String toString() { return (scalar ? "" : "shape ") + entries; }
  }

  /** ConstantOfShape with a run-time shape: every element is {@code value} (a one-element tensor). */
  record Fill(List<Entry> shape, HostTensor value) {
    @Override public String toString() { return "ConstantOfShape " + shape + " of " + value.getDouble(0); }
  }

  private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");

  /** Whether a bound object is a run-time shape value this class made (not an IR value or a constant). */
  static boolean isDynamic(Object o) { return o instanceof ShapeTensor || o instanceof Fill; }

  /**
   * Imports {@code n} when it is a Shape of a dynamic input or reads a value made here; false when the node is
   * the ordinary importers' business.
   */
  static boolean tryImport(NodeProto n, ImportContext c) {
    String op = n.getOpType();
    if (op.equals("Shape")) return shape(c);
    boolean any = false;
    for (int i = 0; i < c.inputCount(); i++) any |= c.hasInput(i) && isDynamic(c.in(i));
    if (!any) return false;
    switch (op) {
      case "Gather" -> gather(c);
      case "Unsqueeze", "Squeeze" -> squeeze(c, op.equals("Unsqueeze"));
      case "Concat" -> concat(c);
      case "Cast" -> cast(c);
      case "Identity" -> c.define(c.in(0));
      case "Mul", "Div", "Add", "Sub" -> binary(c, op);
      case "Slice" -> slice(c);
      case "Reshape" -> reshape(c);
      case "ConstantOfShape" -> constantOfShape(c);
      default -> {
        if (RECURRENT.contains(op)) recurrent(n, c);
        else throw c.unsupported("input " + describe(c) + " is computed from a dim known only at run time; Kiln folds such "
            + "shape computations only through Gather, Unsqueeze, Squeeze, Concat, Cast, Mul, Div, Add, Sub, Slice into Reshape, "
            + "and ConstantOfShape only as a zero initial state of LSTM/GRU/RNN");
      }
    }
    return true;
  }

  private static String describe(ImportContext c) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < c.inputCount(); i++) if (c.hasInput(i) && isDynamic(c.in(i))) parts.add(i + " (" + c.in(i) + ")");
    return String.join(", ", parts);
  }

  private static Shape shapeOf(Object o) {
    return o instanceof HostTensor t ? t.type().shape() : ((Value) o).type().shape();
  }

  /** Shape of an input with a run-time dim; a static one is left to the ordinary importer. */
  private static boolean shape(ImportContext c) {
    Object x = c.in(0);
    if (x == null || isDynamic(x)) return false;
    Shape s = shapeOf(x);
    int r = s.rank();
    int start = clamp(c.attrInt("start", 0), r);
    int end = clamp(c.attrInt("end", r), r);
    List<Entry> entries = new ArrayList<>();
    boolean dynamic = false;
    for (int i = start; i < end; i++) {
      Dim d = s.dim(i);
      dynamic |= !d.isStatic();
      entries.add(d.isStatic() ? Entry.of(d.size()) : new Entry(1, d));
    }
    if (!dynamic) return false;
    c.onlyAttrs("start", "end");
    define(c, new ShapeTensor(DType.I64, entries, false));
    return true;
  }

  private static int clamp(long a, int rank) {
    long v = a < 0 ? a + rank : a;
    return (int) Math.max(0, Math.min(rank, v));
  }

  /** Defines the node's output: a constant when every entry is static. */
  private static void define(ImportContext c, ShapeTensor t) {
    boolean allStatic = t.entries().stream().allMatch(Entry::isStatic);
    if (!allStatic) {
      c.define(t);
      return;
    }
    long[] v = t.entries().stream().mapToLong(Entry::factor).toArray();
    c.define(t.scalar() ? Ints.of(t.dtype(), v) : Ints.of(t.dtype(), v, v.length));
  }

  /** Input {@code i} as a shape tensor: a run-time one as is, an integer constant of rank 0 or 1 converted. */
  private static ShapeTensor shapeInput(ImportContext c, int i) {
    Object o = c.in(i);
    if (o instanceof ShapeTensor s) return s;
    if (o instanceof HostTensor t && t.dtype().isInteger() && t.rank() <= 1) {
      List<Entry> e = new ArrayList<>();
      for (long v : t.toLongs()) e.add(Entry.of(v));
      return new ShapeTensor(t.dtype(), e, t.rank() == 0);
    }
    throw c.unsupported("input " + i + " must be an integer shape of rank 0 or 1 to combine with the run-time shape " + describe(c));
  }

  private static void gather(ImportContext c) {
    c.onlyAttrs("axis");
    if (!(c.in(0) instanceof ShapeTensor data) || data.scalar()) throw c.unsupported("only a 1-D run-time shape can be gathered from");
    if (c.attrInt("axis", 0) != 0 && c.attrInt("axis", 0) != -1) throw c.fail("axis must be 0 for a 1-D shape");
    HostTensor idx = c.requireConstant(1, "indices");
    if (idx.rank() > 1) throw c.unsupported("indices into a run-time shape must have rank 0 or 1");
    List<Entry> out = new ArrayList<>();
    int n = data.entries().size();
    for (long i : idx.toLongs()) {
      long k = i < 0 ? i + n : i;
      if (k < 0 || k >= n) throw c.fail("index " + i + " is out of range for a shape of " + n + " entries");
      out.add(data.entries().get((int) k));
    }
    define(c, new ShapeTensor(data.dtype(), out, idx.rank() == 0));
  }

  private static void squeeze(ImportContext c, boolean unsqueeze) {
    c.onlyAttrs("axes");
    long[] axes = c.opset() < 13 ? c.attrInts("axes", null) : c.hasInput(1) ? c.requireConstant(1, "axes").toLongs() : null;
    ShapeTensor t = shapeInput(c, 0);
    if (unsqueeze) {
      if (!t.scalar() || axes == null || axes.length != 1 || (axes[0] != 0 && axes[0] != -1)) {
        throw c.unsupported("only a scalar run-time dim can be unsqueezed (to one entry), got " + t + " with axes " + Arrays.toString(axes));
      }
      define(c, new ShapeTensor(t.dtype(), t.entries(), false));
    } else {
      if (t.scalar() || t.entries().size() != 1 || (axes != null && (axes.length != 1 || (axes[0] != 0 && axes[0] != -1)))) {
        throw c.unsupported("only a one-entry run-time shape can be squeezed (to a scalar), got " + t);
      }
      define(c, new ShapeTensor(t.dtype(), t.entries(), true));
    }
  }

  private static void concat(ImportContext c) {
    c.onlyAttrs("axis");
    long axis = c.attrInt("axis", 0);
    if (axis != 0 && axis != -1) throw c.unsupported("run-time shapes are concatenated only along axis 0, got " + axis);
    List<Entry> out = new ArrayList<>();
    DType dt = null;
    for (int i = 0; i < c.inputCount(); i++) {
      ShapeTensor t = shapeInput(c, i);
      if (t.scalar()) throw c.fail("input " + i + " is a scalar; Concat needs rank >= 1");
      if (dt != null && dt != t.dtype()) throw c.fail("inputs differ in dtype: " + dt + " and " + t.dtype());
      dt = t.dtype();
      out.addAll(t.entries());
    }
    define(c, new ShapeTensor(dt, out, false));
  }

  private static void cast(ImportContext c) {
    c.onlyAttrs("to", "saturate");
    if (c.attr("to") == null) throw c.fail("attribute 'to' is required");
    DType to = (DType) ProtoAttrs.toIr(c.attr("to"), dev.kiln.spec.op.AttrSpec.AttrKind.DTYPE, c);
    if (!to.isInteger()) throw c.unsupported("a run-time shape can be cast only to an integer type, not " + to);
    ShapeTensor t = shapeInput(c, 0);
    define(c, new ShapeTensor(to, t.entries(), t.scalar()));
  }

  /** Elementwise integer arithmetic with NumPy broadcasting of one-entry operands. */
  private static void binary(ImportContext c, String op) {
    c.onlyAttrs();
    ShapeTensor a = shapeInput(c, 0);
    ShapeTensor b = shapeInput(c, 1);
    if (a.dtype() != b.dtype()) throw c.fail("inputs differ in dtype: " + a.dtype() + " and " + b.dtype());
    int na = a.entries().size();
    int nb = b.entries().size();
    if (na != nb && na != 1 && nb != 1) throw c.fail("shapes of " + na + " and " + nb + " entries do not broadcast");
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < Math.max(na, nb); i++) {
      out.add(combine(op, a.entries().get(na == 1 ? 0 : i), b.entries().get(nb == 1 ? 0 : i)));
    }
    define(c, new ShapeTensor(a.dtype(), out, a.scalar() && b.scalar()));
  }

  /**
   * NOTE: sizes are non-negative, so ONNX's integer Div (truncating) is exact division here when it divides;
   * a run-time dim that does not divide out evenly, or a sum involving one, becomes an opaque run-time entry.
   */
  private static Entry combine(String op, Entry x, Entry y) {
    if (x.isStatic() && y.isStatic()) {
      long p = x.factor();
      long q = y.factor();
      return Entry.of(switch (op) {
        case "Mul" -> Math.multiplyExact(p, q);
        case "Add" -> Math.addExact(p, q);
        case "Sub" -> Math.subtractExact(p, q);
        default -> {
          if (q == 0) throw new ArithmeticException("integer division by zero in a shape computation");
          yield p / q;
        }
      });
    }
    if (op.equals("Mul") && (x.isStatic() || y.isStatic())) {
      Entry d = x.isStatic() ? y : x;
      long k = x.isStatic() ? x.factor() : y.factor();
      return new Entry(Math.multiplyExact(d.factor(), k), d.dim());
    }
    if (op.equals("Div") && y.isStatic() && y.factor() > 0 && x.factor() % y.factor() == 0) {
      return new Entry(x.factor() / y.factor(), x.dim());
    }
    return Entry.OPAQUE;
  }

  /** Slice of a 1-D run-time shape, or of a run-time-shaped fill along its static axes. */
  private static void slice(ImportContext c) {
    c.onlyAttrs();
    if (c.opset() < 10) throw c.unsupported("Slice-1 of a run-time shape is not supported");
    long[] starts = c.requireConstant(1, "starts").toLongs();
    long[] ends = c.requireConstant(2, "ends").toLongs();
    long[] axes = c.hasInput(3) ? c.requireConstant(3, "axes").toLongs() : null;
    long[] steps = c.hasInput(4) ? c.requireConstant(4, "steps").toLongs() : null;
    if (c.in(0) instanceof Fill f) {
      List<Entry> shape = new ArrayList<>(f.shape());
      for (int k = 0; k < starts.length; k++) {
        int axis = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + shape.size() : axes[k]);
        if (axis < 0 || axis >= shape.size()) throw c.fail("axis " + (axes == null ? k : axes[k]) + " is out of range");
        Entry d = shape.get(axis);
        if (!d.isStatic()) throw c.unsupported("slicing the run-time axis " + axis + " of " + f + " is not supported");
        shape.set(axis, Entry.of(range(c, d.factor(), starts[k], ends[k], steps == null ? 1 : steps[k]).length));
      }
      c.define(new Fill(shape, f.value()));
      return;
    }
    if (!(c.in(0) instanceof ShapeTensor t) || t.scalar()) throw c.unsupported("only a 1-D run-time shape can be sliced");
    if (starts.length != 1 || (axes != null && axes[0] != 0 && axes[0] != -1)) throw c.fail("a 1-D shape is sliced along axis 0 only");
    List<Entry> out = new ArrayList<>();
    for (long i : range(c, t.entries().size(), starts[0], ends[0], steps == null ? 1 : steps[0])) out.add(t.entries().get((int) i));
    define(c, new ShapeTensor(t.dtype(), out, false));
  }

  /** The indices ONNX Slice takes from an axis of size n, with its clamping of starts and ends. */
  private static long[] range(ImportContext c, long n, long start, long end, long step) {
    if (step == 0) throw c.fail("steps must not be 0");
    if (start < 0) start += n;
    if (end < 0) end += n;
    List<Long> out = new ArrayList<>();
    if (step > 0) {
      start = Math.max(0, Math.min(n, start));
      end = Math.max(0, Math.min(n, end));
      for (long i = start; i < end; i += step) out.add(i);
    } else {
      start = Math.max(-1, Math.min(n - 1, start));
      end = Math.max(-1, Math.min(n - 1, end));
      for (long i = start; i > end; i += step) out.add(i);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Reshape to a run-time shape: static entries as sizes, the input's own dim at the same position as 0, one -1. */
  private static void reshape(ImportContext c) {
    c.onlyAttrs("allowzero");
    Object x = c.in(0);
    if (isDynamic(x)) throw c.unsupported("reshaping a run-time shape value itself is not supported");
    if (!(c.in(1) instanceof ShapeTensor t) || t.scalar()) throw c.fail("input 1 (shape) must be a 1-D shape");
    Shape xs = shapeOf(x);
    long[] spec = new long[t.entries().size()];
    int inferred = -1;
    for (int i = 0; i < spec.length; i++) {
      Entry e = t.entries().get(i);
      if (e.isStatic()) {
        if (e.factor() == 0 && c.attrInt("allowzero", 0) != 0) throw c.unsupported("allowzero=1 with a 0 in the shape is not supported");
        spec[i] = e.factor();
      } else if (e.factor() == 1 && e.dim().isSymbolic() && i < xs.rank() && xs.dim(i).equals(e.dim())) {
        spec[i] = 0;
      } else if (inferred < 0) {
        spec[i] = -1;
        inferred = i;
      } else {
        throw c.unsupported("target shape " + t + " has more than one entry known only at run time that is not the input's own dim");
      }
    }
    c.define(c.apply1("Reshape", Attrs.of("shape", spec), x));
  }

  private static void constantOfShape(ImportContext c) {
    c.onlyAttrs("value");
    ShapeTensor t = shapeInput(c, 0);
    if (t.scalar()) throw c.fail("input (shape) must be 1-D");
    AttributeProto v = c.attr("value");
    HostTensor fill = v == null ? HostTensor.ofFloats(new float[] {0f}, 1) : ConstantImporters.tensor(v, c);
    if (fill.size() != 1) throw c.fail("value must hold one element, holds " + fill.size());
    c.define(new Fill(t.entries(), fill));
  }

  /** A zero fill as an initial state is the same as leaving the input out: the node is imported without it. */
  private static void recurrent(NodeProto n, ImportContext c) {
    NodeProto.Builder b = n.toBuilder();
    for (int i = 0; i < n.getInputCount(); i++) {
      if (!c.hasInput(i) || !isDynamic(c.in(i))) continue;
      boolean state = i == 5 || (i == 6 && n.getOpType().equals("LSTM"));
      if (!state || !(c.in(i) instanceof Fill f) || f.value().getDouble(0) != 0.0) {
        throw c.unsupported("input " + i + " (" + c.in(i) + ") has a run-time shape; only a zero initial state may");
      }
      b.setInput(i, "");
    }
    NodeProto without = b.build();
    c.setNode(without);
    try {
      Importers.forType(n.getOpType()).importNode(without, c);
    } finally {
      c.setNode(n);
    }
  }
}
