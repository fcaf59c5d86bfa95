package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;

/** {@code Unique} (opset 11) onto the IR op: no {@code axis} attribute means over x flattened. */
final class UniqueImporter {
  private UniqueImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Unique", UniqueImporter::unique);
  }

  private static void unique(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "sorted");
    boolean flatten = c.attr("axis") == null;
    List<Object> outs = Ops.unique(c, c.in(0), flatten, flatten ? 0 : c.attrInt("axis", 0), c.attrInt("sorted", 1) != 0);
    for (int i = 0; i < outs.size(); i++) c.define(i, outs.get(i));
  }
}
