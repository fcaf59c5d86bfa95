package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import java.util.Map;

/**
 * ONNX Pad onto the IR's constant-mode Pad: opsets 1..10 take {@code pads} and {@code value} as attributes
 * (opset 1 names it {@code paddings}), 11+ as inputs, 18+ with an optional {@code axes} input. Only
 * {@code mode=constant} with non-negative pads is expressible; pads and value must be constants.
 */
final class PadImporter {
  private PadImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Pad", PadImporter::pad);
  }

  private static void pad(NodeProto n, ImportContext c) {
    c.onlyAttrs("mode", "pads", "paddings", "value");
    String mode = c.attrString("mode", "constant");
    if (!mode.equals("constant")) throw c.unsupported("mode=" + mode + " is not supported (only constant)");
    Object x = c.in(0);
    TensorType xt = x instanceof HostTensor t ? t.type() : ((Value) x).type();
    int r = xt.rank();
    long[] pads;
    double value;
    if (c.opset() < 11) {
      pads = c.attrInts("pads", c.attrInts("paddings", null));
      if (pads == null) throw c.fail("attribute pads is required");
      value = c.attrFloat("value", 0.0);
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
    c.define(c.apply1("Pad", Attrs.of("pads", pads, "value", value), x));
  }
}
