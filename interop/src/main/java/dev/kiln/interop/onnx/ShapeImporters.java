package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * Shape ops whose ONNX form changed over the opsets (attributes that became inputs) and the
 * host-side folding of shape computations: a view op on a constant is the same bytes in the shape its
 * type rule gives; Gather and Concat along axis 0 of constants are byte copies.
 */
final class ShapeImporters {
  private ShapeImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Reshape", ShapeImporters::reshape);
    m.put("Squeeze", (n, c) -> squeezeOrUnsqueeze(n, c, "Squeeze", true));
    m.put("Unsqueeze", (n, c) -> squeezeOrUnsqueeze(n, c, "Unsqueeze", false));
    m.put("Flatten", (n, c) -> view(n, c, "Flatten", Attrs.of("axis", c.attrInt("axis", 1))));
    m.put("Slice", ShapeImporters::slice);
    m.put("Transpose", (n, c) -> {
      c.onlyAttrs("perm");
      c.define(c.apply1("Transpose", Attrs.of("perm", c.attrInts("perm", new long[0])), c.in(0)));
    });
    m.put("Gather", ShapeImporters::gather);
    m.put("Concat", ShapeImporters::concat);
  }

  /** Squeeze/Unsqueeze: constant axes as the attribute; axes computed at run time (opset 13+) as the Dynamic op. */
  private static void squeezeOrUnsqueeze(NodeProto n, ImportContext c, String op, boolean optional) {
    if (c.opset() >= 13 && c.hasInput(1) && c.constant(1) == null) {
      c.onlyAttrs();
      c.define(c.apply1("Dynamic" + op, Attrs.EMPTY, c.in(0), c.in(1)));
      return;
    }
    view(n, c, op, axes(c, 13, optional));
  }

  /** Axes from the attribute (before {@code inputSince}) or the second input; null when absent and optional. */
  private static Attrs axes(ImportContext c, int inputSince, boolean optional) {
    c.onlyAttrs("axes");
    long[] axes = c.opset() < inputSince ? c.attrInts("axes", null) : c.hasInput(1) ? c.requireConstant(1, "axes").toLongs() : null;
    if (axes == null && !optional) throw c.fail("axes are required");
    return axes == null ? Attrs.EMPTY : Attrs.of("axes", axes);
  }

  private static void reshape(NodeProto n, ImportContext c) {
    c.onlyAttrs("allowzero");
    if (c.hasInput(1) && c.constant(1) == null) {
      // A shape computed at run time: 0 entries copy (allowzero=0); with allowzero=1 a 0 would be a size.
      if (c.attrInt("allowzero", 0) != 0) throw c.unsupported("allowzero=1 with a shape computed at run time is not supported");
      c.define(c.apply1("DynamicReshape", Attrs.EMPTY, c.in(0), c.in(1)));
      return;
    }
    long[] shape = c.requireConstant(1, "shape").toLongs();
    if (c.attrInt("allowzero", 0) != 0) {
      for (long s : shape) if (s == 0) throw c.unsupported("allowzero=1 with a 0 in the shape (an empty dim) is not supported");
    }
    view(n, c, "Reshape", Attrs.of("shape", shape));
  }

  /** An op that only changes the shape: folded on constants, else applied. */
  private static void view(NodeProto n, ImportContext c, String opName, Attrs attrs) {
    Object x = c.in(0);
    if (x instanceof HostTensor t) {
      Op op = OpRegistry.get(opName);
      Attrs full = attrs;
      for (var s : op.signature().attrs()) if (!full.has(s.name()) && !s.isRequired()) full = full.with(s.name(), s.defaultValue());
      TensorType out;
      try {
        out = op.inferTypes(List.of(t.type()), full).get(0);
      } catch (RuntimeException e) {
        throw c.fail(e.getMessage());
      }
      if (out.shape().isStatic()) {
        c.define(t.reshape(out.shape().sizes()));
        return;
      }
    }
    c.define(c.apply1(opName, attrs, x));
  }

  private static void slice(NodeProto n, ImportContext c) {
    Attrs a;
    if (c.opset() < 10) {
      c.onlyAttrs("starts", "ends", "axes");
      a = Attrs.of("starts", c.attrInts("starts", null), "ends", c.attrInts("ends", null));
      if (c.attr("axes") != null) a = a.with("axes", c.attrInts("axes", null));
    } else {
      c.onlyAttrs();
      if (runtimeOperand(c, 1, 4)) {
        dynamicSlice(c);
        return;
      }
      a = Attrs.of("starts", c.requireConstant(1, "starts").toLongs(), "ends", c.requireConstant(2, "ends").toLongs());
      if (c.hasInput(3)) a = a.with("axes", c.requireConstant(3, "axes").toLongs());
      if (c.hasInput(4)) a = a.with("steps", c.requireConstant(4, "steps").toLongs());
    }
    if (a.get("starts") == null || a.get("ends") == null) throw c.fail("starts and ends are required");
    HostTensor x = c.constant(0);
    if (x != null && x.rank() == 1 && a.getLongs("starts").length == 1) {
      c.define(slice1d(c, x, a));
      return;
    }
    c.define(c.apply1("Slice", a, c.in(0)));
  }

  /** Whether any of inputs {@code from..to} is given and computed at run time. */
  private static boolean runtimeOperand(ImportContext c, int from, int to) {
    for (int i = from; i <= to; i++) if (c.hasInput(i) && c.constant(i) == null) return true;
    return false;
  }

  /**
   * Slice-10+ with starts/ends/axes/steps computed at run time: DynamicSlice (constant operands become
   * Constant nodes); steps without axes get the default axes 0..k-1 spelled out.
   */
  private static void dynamicSlice(ImportContext c) {
    java.util.List<Object> ins = new java.util.ArrayList<>(java.util.List.of(c.in(0), c.in(1), c.in(2)));
    if (c.hasInput(3)) ins.add(c.in(3));
    if (c.hasInput(4)) {
      if (!c.hasInput(3)) {
        Object starts = c.in(1);
        dev.kiln.spec.Shape ss = starts instanceof HostTensor t ? t.type().shape() : ((Value) starts).type().shape();
        if (ss.rank() != 1 || !ss.dim(0).isStatic()) throw c.unsupported("starts must be 1-D with a static length, is " + ss);
        long[] seq = new long[(int) ss.dim(0).size()];
        for (int i = 0; i < seq.length; i++) seq[i] = i;
        ins.add(HostTensor.ofLongs(seq, seq.length));
      }
      ins.add(c.in(4));
    }
    // ONNX allows i32 bounds; the IR op takes i64.
    for (int i = 1; i < ins.size(); i++) {
      Object o = ins.get(i);
      dev.kiln.spec.DType dt = o instanceof HostTensor t ? t.dtype() : ((Value) o).type().dtype();
      if (dt == dev.kiln.spec.DType.I32) ins.set(i, c.step("Cast", Attrs.of("to", dev.kiln.spec.DType.I64), o));
    }
    c.define(c.apply1("DynamicSlice", Attrs.EMPTY, ins.toArray()));
  }

  /** Slice of a 1-D constant (a shape), with ONNX's clamping of starts and ends. */
  private static HostTensor slice1d(ImportContext c, HostTensor x, Attrs a) {
    long n = x.shape()[0];
    long step = a.has("steps") && a.getLongs("steps").length > 0 ? a.getLongs("steps")[0] : 1;
    if (a.has("axes") && a.getLongs("axes").length > 0 && a.getLongs("axes")[0] != 0 && a.getLongs("axes")[0] != -1) {
      throw c.fail("axis " + a.getLongs("axes")[0] + " is out of range for a 1-D input");
    }
    if (step == 0) throw c.fail("steps must not be 0");
    long start = a.getLongs("starts")[0];
    long end = a.getLongs("ends")[0];
    if (start < 0) start += n;
    if (end < 0) end += n;
    long[] vals = x.toLongs();
    java.util.List<Long> out = new java.util.ArrayList<>();
    if (step > 0) {
      start = Math.max(0, Math.min(n, start));
      end = Math.max(0, Math.min(n, end));
      for (long i = start; i < end; i += step) out.add(vals[(int) i]);
    } else {
      start = Math.max(-1, Math.min(n - 1, start));
      end = Math.max(-1, Math.min(n - 1, end));
      for (long i = start; i > end; i += step) out.add(vals[(int) i]);
    }
    if (!x.dtype().isInteger()) throw c.unsupported("Slice of a non-integer 1-D constant is not folded");
    return Ints.of(x.dtype(), out.stream().mapToLong(Long::longValue).toArray(), out.size());
  }

  /**
   * Gather of constants is folded (e.g. one entry of a Shape); Gather of a tensor value by constant or value
   * indices (an embedding lookup) is the IR's Gather op.
   */
  private static void gather(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    // Either side computed at run time (e.g. an embedding table initializer indexed by input ids), or
    // constants along an axis other than 0: the IR's Gather, which ImportContext folds where it can.
    boolean runtime = c.in(0) instanceof Value || c.in(1) instanceof Value;
    boolean constAxis0 = c.attrInt("axis", 0) == 0 || (c.constant(0) != null && c.attrInt("axis", 0) == -c.constant(0).rank());
    if (c.in(0) != null && c.in(1) != null && (runtime || !constAxis0)) {
      c.define(c.apply1("Gather", Attrs.of("axis", c.attrInt("axis", 0)), c.in(0), c.in(1)));
      return;
    }
    HostTensor data = c.constant(0);
    HostTensor idx = c.constant(1);
    if (data == null || idx == null) throw c.unsupported("Gather is supported only on constants (shape computations)");
    if (data.rank() < 1) throw c.fail("data must have rank >= 1");
    long axis = c.attrInt("axis", 0);
    if (axis < 0) axis += data.rank();
    if (axis != 0) throw c.unsupported("Gather of constants is folded only along axis 0, got axis " + c.attrInt("axis", 0));
    long rows = data.shape()[0];
    long rowBytes = data.size() / Math.max(1, rows) * data.dtype().byteSize();
    long[] ids = idx.toLongs();
    if ((long) ids.length * rowBytes > ImportContext.MAX_FOLD_ELEMENTS * 8) throw c.unsupported("gather result too large to fold");
    byte[] src = data.bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long i : ids) {
      long r = i < 0 ? i + rows : i;
      if (r < 0 || r >= rows) throw c.fail("index " + i + " is out of range for " + rows + " rows");
      out.write(src, (int) (r * rowBytes), (int) rowBytes);
    }
    long[] ds = data.shape();
    long[] is = idx.shape();
    long[] shape = new long[is.length + ds.length - 1];
    System.arraycopy(is, 0, shape, 0, is.length);
    System.arraycopy(ds, 1, shape, is.length, ds.length - 1);
    c.define(HostTensor.ofBytes(data.dtype(), shape, out.toByteArray()));
  }

  /** Concat: folded along axis 0 when every input is constant, else the IR op. */
  private static void concat(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    // Concat 1..3 made axis optional, defaulting to 1; from 4 on it is required.
    long axis = c.attrInt("axis", c.opset() < 4 ? 1 : Long.MIN_VALUE);
    if (axis == Long.MIN_VALUE) throw c.fail("attribute axis is required");
    Object[] ins = new Object[c.inputCount()];
    boolean allConst = true;
    for (int i = 0; i < ins.length; i++) {
      ins[i] = c.in(i);
      allConst &= ins[i] instanceof HostTensor;
    }
    if (allConst && ins.length > 0) {
      HostTensor first = (HostTensor) ins[0];
      if (first.rank() >= 1 && (axis == 0 || axis == -first.rank())) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rows = 0;
        for (Object o : ins) {
          HostTensor t = (HostTensor) o;
          if (t.dtype() != first.dtype() || t.rank() != first.rank()) throw c.fail("inputs differ in dtype or rank");
          for (int d = 1; d < t.rank(); d++) if (t.shape()[d] != first.shape()[d]) throw c.fail("inputs differ in shape off the axis");
          rows += t.shape()[0];
          out.writeBytes(t.bytes());
        }
        long[] shape = first.shape();
        shape[0] = rows;
        c.define(HostTensor.ofBytes(first.dtype(), shape, out.toByteArray()));
        return;
      }
    }
    Value[] vals = new Value[ins.length];
    for (int i = 0; i < ins.length; i++) vals[i] = c.toValue(ins[i]);
    c.define(c.apply1("Concat", Attrs.of("axis", axis), (Object[]) vals));
  }
}
