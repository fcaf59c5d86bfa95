package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.ops.Ops;
import dev.kiln.spec.ops.Reshape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shape ops whose ONNX form changed over the opsets (attributes that became inputs), and their run-time
 * forms: constant operands become the canonical op's attributes, operands computed at run time the
 * {@code Dynamic*} op. Folding (constants, and shape computations over symbolic dims) is the ops' own,
 * through {@link ImportContext#apply}.
 */
final class ShapeImporters {
  private ShapeImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Reshape", ShapeImporters::reshape);
    m.put("Squeeze", (n, c) -> squeezeOrUnsqueeze(c, true));
    m.put("Unsqueeze", (n, c) -> squeezeOrUnsqueeze(c, false));
    m.put("Flatten", (n, c) -> {
      c.onlyAttrs("axis");
      c.define(Ops.flatten(c, c.in(0), c.attrInt("axis", 1)));
    });
    m.put("Slice", ShapeImporters::slice);
    m.put("Transpose", (n, c) -> {
      c.onlyAttrs("perm");
      c.define(Ops.transpose(c, c.in(0), c.attrInts("perm", new long[0])));
    });
    m.put("Gather", ShapeImporters::gather);
    m.put("Concat", ShapeImporters::concat);
  }

  /** Squeeze/Unsqueeze: constant axes as the attribute; axes computed at run time (opset 13+) as the Dynamic op. */
  private static void squeezeOrUnsqueeze(ImportContext c, boolean squeeze) {
    if (c.opset() >= 13 && c.hasInput(1) && c.constant(1) == null) {
      c.onlyAttrs();
      c.define(squeeze ? Ops.dynamicSqueeze(c, c.in(0), c.in(1)) : Ops.dynamicUnsqueeze(c, c.in(0), c.in(1)));
      return;
    }
    Attrs a = axes(c, 13, squeeze);
    c.define(squeeze ? Ops.squeeze(c, c.in(0), a) : Ops.unsqueeze(c, c.in(0), a));
  }

  /** Axes from the attribute (before {@code inputSince}) or the second input; null when absent and optional. */
  private static Attrs axes(ImportContext c, int inputSince, boolean optional) {
    c.onlyAttrs("axes");
    long[] axes = c.opset() < inputSince ? c.attrInts("axes", null) : c.hasInput(1) ? c.requireConstant(1, "axes").toLongs() : null;
    if (axes == null && !optional) throw c.fail("axes are required");
    return axes == null ? Attrs.EMPTY : Attrs.of("axes", axes);
  }

  /**
   * Reshape to a constant shape (the attribute); to a folded shape with symbolic entries, the attribute
   * {@link Reshape#staticSpec} writes for it (so {@code [batch, -1]} keeps the batch symbolic); otherwise
   * DynamicReshape, with the shape computed at run time.
   */
  private static void reshape(NodeProto n, ImportContext c) {
    c.onlyAttrs("allowzero");
    boolean allowZero = c.attrInt("allowzero", 0) != 0;
    HostTensor constant = c.constant(1);
    if (c.hasInput(1) && constant == null) {
      // NOTE: with allowzero=1 a 0 is a size, where the IR's 0 copies the input's dim.
      if (c.folded(1) instanceof Folded.ShapeValue target && !(allowZero && hasZero(target.entries()))) {
        long[] spec = Reshape.staticSpec(ImportContext.typeOf(c.in(0)).shape(), target.entries());
        if (spec != null) {
          c.define(Ops.reshape(c, c.in(0), spec));
          return;
        }
      }
      if (allowZero) throw c.unsupported("allowzero=1 with a shape computed at run time is not supported");
      c.define(Ops.dynamicReshape(c, c.in(0), c.in(1)));
      return;
    }
    long[] shape = c.requireConstant(1, "shape").toLongs();
    if (allowZero) {
      for (long s : shape) if (s == 0) throw c.unsupported("allowzero=1 with a 0 in the shape (an empty dim) is not supported");
    }
    c.define(Ops.reshape(c, c.in(0), shape));
  }

  private static boolean hasZero(List<SymInt> entries) {
    return entries.stream().anyMatch(e -> e.isStatic() && e.value() == 0);
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
    c.define(Ops.slice(c, c.in(0), a));
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
    List<Object> ins = new ArrayList<>(List.of(c.in(0), c.in(1), c.in(2)));
    if (c.hasInput(3)) ins.add(c.in(3));
    if (c.hasInput(4)) {
      if (!c.hasInput(3)) {
        Shape ss = ImportContext.typeOf(c.in(1)).shape();
        if (ss.rank() != 1 || !ss.dim(0).isStatic()) throw c.unsupported("starts must be 1-D with a static length, is " + ss);
        long[] seq = new long[(int) ss.dim(0).size()];
        for (int i = 0; i < seq.length; i++) seq[i] = i;
        ins.add(HostTensor.ofLongs(seq, seq.length));
      }
      ins.add(c.in(4));
    }
    // ONNX allows i32 bounds; the IR op takes i64.
    for (int i = 1; i < ins.size(); i++) {
      if (ImportContext.typeOf(ins.get(i)).dtype() == DType.I32) ins.set(i, Ops.cast(c.step(), ins.get(i), DType.I64));
    }
    Object[] in = ins.toArray(new Object[5]); // absent trailing inputs are null
    c.define(Ops.dynamicSlice(c, in[0], in[1], in[2], in[3], in[4]));
  }

  /** Gather: the IR op (an embedding lookup), which folds constants and entries of folded shapes. */
  private static void gather(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    if (!c.hasInput(0) || !c.hasInput(1)) throw c.fail("inputs 0 (data) and 1 (indices) are required");
    c.define(Ops.gather(c, c.in(0), c.in(1), c.attrInt("axis", 0)));
  }

  /** Concat: the IR op, which folds constants and folded shapes. */
  private static void concat(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    // Concat 1..3 made axis optional, defaulting to 1; from 4 on it is required.
    long axis = c.attrInt("axis", c.opset() < 4 ? 1 : Long.MIN_VALUE);
    if (axis == Long.MIN_VALUE) throw c.fail("attribute axis is required");
    Object[] ins = new Object[c.inputCount()];
    for (int i = 0; i < ins.length; i++) ins[i] = c.in(i);
    c.define(Ops.concat(c, List.of(ins), axis));
  }
}
