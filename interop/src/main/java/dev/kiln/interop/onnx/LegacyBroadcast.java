package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;

/**
 * The broadcasting of the binary ops before opset 7 (Add, Sub, Mul, Div, Pow and the comparisons and logic
 * ops of opset 1..6): {@code broadcast = 1} lets B's shape be a contiguous run of A's dims starting at
 * {@code axis} (by default B's dims are A's last ones, which is NumPy's trailing alignment);
 * {@code broadcast = 0} (the default) needs equal shapes. Both map onto today's NumPy broadcasting once B
 * is reshaped with trailing 1s ({@code [3]} at axis 1 of a rank-3 A becomes {@code [3, 1]}), so the node is
 * then imported by the op's own importer without the two attributes.
 */
final class LegacyBroadcast {
  private LegacyBroadcast() {}

  /** The ONNX op types that carried {@code broadcast} / {@code axis} before opset 7. */
  static final List<String> OPS = List.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less");

  /** Wraps each op's importer (already in {@code m}) so opsets < 7 read the two attributes first. */
  static void register(Map<String, NodeImporter> m) {
    for (String op : OPS) {
      NodeImporter modern = m.get(op);
      if (modern != null) m.put(op, (n, c) -> importNode(n, c, modern));
    }
  }

  private static void importNode(NodeProto n, ImportContext c, NodeImporter modern) {
    AttributeProto broadcast = c.attr("broadcast");
    AttributeProto axis = c.attr("axis");
    if (c.opset() >= 7 || (broadcast == null && axis == null)) {
      modern.importNode(n, c);
      return;
    }
    if (c.inputCount() != 2 || !c.hasInput(0) || !c.hasInput(1)) throw c.fail("needs two inputs, A and B");
    Shape a = ImportContext.typeOf(c.in(0)).shape();
    Shape b = ImportContext.typeOf(c.in(1)).shape();
    Object bIn = c.in(1);
    if (c.attrInt("broadcast", 0) == 0) {
      if (axis != null) throw c.fail("attribute 'axis' is given but broadcast = 0");
      if (!a.equals(b)) throw c.fail("broadcast = 0 needs A and B of equal shapes, got " + a + " and " + b);
    } else if (axis != null) {
      long ax = c.attrInt("axis", 0);
      long at = ax < 0 ? ax + a.rank() : ax;
      if (at < 0 || at + b.rank() > a.rank()) {
        throw c.fail("axis " + ax + " does not place B " + b + " inside A " + a);
      }
      int trailing = (int) (a.rank() - at - b.rank());
      if (trailing > 0) {
        long[] target = new long[b.rank() + trailing];
        for (int i = 0; i < b.rank(); i++) target[i] = 0; // 0 copies B's dim (Reshape's rule)
        for (int i = b.rank(); i < target.length; i++) target[i] = 1;
        bIn = Ops.reshape(c.step(), bIn, target);
      }
    } else if (b.rank() > a.rank()) {
      throw c.fail("B " + b + " has a higher rank than A " + a);
    }
    c.withInput(1, bIn, "broadcast", "axis");
    modern.importNode(c.node(), c);
  }
}
