package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX Pad onto the IR's constant-mode Pad: opsets 1..10 take {@code pads} and {@code value} as attributes
 * (opset 1 names it {@code paddings}), 11+ as inputs, 18+ with an optional {@code axes} input. Modes
 * constant (the IR's Pad), edge and reflect (slices of the border concatenated around x, static dims);
 * pads must be non-negative constants.
 */
final class PadImporter {
  private PadImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Pad", PadImporter::pad);
  }

  private static void pad(NodeProto n, ImportContext c) {
    c.onlyAttrs("mode", "pads", "paddings", "value");
    String mode = c.attrString("mode", "constant");
    if (!mode.equals("constant") && !mode.equals("edge") && !mode.equals("reflect")) {
      throw c.unsupported("mode=" + mode + " is not supported (constant, edge and reflect are)");
    }
    Object x = c.in(0);
    TensorType xt = ImportContext.typeOf(x);
    int r = xt.rank();
    long[] pads;
    double value;
    if (c.opset() < 11) {
      pads = c.attrInts("pads", c.attrInts("paddings", null));
      if (pads == null) throw c.fail("attribute pads is required");
      value = c.attrFloat("value", 0.0);
    } else if (!c.hasInput(3) && ((c.hasInput(1) && c.constant(1) == null) || (c.hasInput(2) && c.constant(2) == null))) {
      // pads or value computed at run time: DynamicPad (constant operands become Constant nodes).
      c.define(Ops.dynamicPad(c, x, c.in(1), c.hasInput(2) ? c.in(2) : null, mode));
      return;
    } else {
      long[] given = c.requireConstant(1, "pads").toLongs();
      HostTensor v = c.hasInput(2) ? c.requireConstant(2, "constant_value") : null;
      value = v == null || v.size() == 0 ? 0.0 : v.toDoubles()[0];
      pads = given;
      if (c.hasInput(3)) {
        long[] axes = c.requireConstant(3, "axes").toLongs();
        if (given.length != 2 * axes.length) throw c.fail("pads must have 2 x len(axes) entries");
        pads = new long[2 * r];
        for (int i = 0; i < axes.length; i++) {
          int ax = (int) (axes[i] < 0 ? axes[i] + r : axes[i]);
          if (ax < 0 || ax >= r) throw c.fail("axis " + axes[i] + " is out of range for rank " + r);
          pads[ax] = given[i];
          pads[ax + r] = given[i + axes.length];
        }
      }
    }
    for (long p : pads) if (p < 0) throw c.unsupported("negative pads (cropping) are not supported");
    if (mode.equals("constant")) {
      c.define(Ops.pad(c, x, pads, value));
      return;
    }
    // edge and reflect: axis by axis (as numpy does, so corners come out alike), the border cells
    // sliced out one at a time and concatenated around x.
    Object y = x;
    for (int ax = 0; ax < r; ax++) {
      long before = pads[ax];
      long after = pads[ax + r];
      if (before == 0 && after == 0) continue;
      var d = xt.shape().dim(ax);
      if (!d.isStatic()) throw c.unsupported("mode=" + mode + " needs static dims on padded axes, got " + xt);
      long size = d.size();
      boolean reflect = mode.equals("reflect");
      if (reflect && (before >= size || after >= size)) {
        throw c.unsupported("reflect pads must be below the axis size " + size + ", got " + before + "/" + after);
      }
      if (size == 0) throw c.fail("cannot pad an empty axis in mode " + mode);
      List<Object> parts = new ArrayList<>();
      for (long k = before; k >= 1; k--) parts.add(cell(c, y, ax, reflect ? k : 0));
      parts.add(y);
      for (long k = 1; k <= after; k++) parts.add(cell(c, y, ax, reflect ? size - 1 - k : size - 1));
      y = Ops.concat(c.step(), List.of(parts.toArray()), (long) ax);
    }
    c.define(Ops.identity(c, y));
  }

  /** The one-wide slab at {@code index} of axis {@code axis}. */
  private static Object cell(ImportContext c, Object x, int axis, long index) {
    return Ops.slice(c.step(), x, new long[] {index}, new long[] {index + 1}, new long[] {axis}, new long[0]);
  }
}
