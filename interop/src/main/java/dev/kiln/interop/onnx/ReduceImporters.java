package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ir.Attrs;
import java.util.Map;

/**
 * ReduceSum / ReduceMean / ReduceMax. Axes are an attribute before the opset where they became an input
 * (13 for ReduceSum, 18 for the others); {@code noop_with_empty_axes=1} with no axes is an identity.
 */
final class ReduceImporters {
  private ReduceImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("ReduceSum", (n, c) -> reduce(n, c, "ReduceSum", 13));
    m.put("ReduceMean", (n, c) -> reduce(n, c, "ReduceMean", 18));
    m.put("ReduceMax", (n, c) -> reduce(n, c, "ReduceMax", 18));
  }

  private static void reduce(NodeProto n, ImportContext c, String op, int axesInputSince) {
    c.onlyAttrs("axes", "keepdims", "noop_with_empty_axes");
    long[] axes = c.opset() < axesInputSince ? c.attrInts("axes", new long[0])
        : c.hasInput(1) ? c.requireConstant(1, "axes").toLongs() : new long[0];
    if (c.opset() >= axesInputSince && c.attr("axes") != null) throw c.fail("axes is an input from opset " + axesInputSince);
    boolean keep = c.attrInt("keepdims", 1) != 0;
    if (axes.length == 0 && c.attrInt("noop_with_empty_axes", 0) != 0) {
      c.define(c.apply1("Identity", Attrs.EMPTY, c.in(0)));
      return;
    }
    c.define(c.apply1(op, Attrs.of("axes", axes, "keepdims", keep), c.in(0)));
  }
}
