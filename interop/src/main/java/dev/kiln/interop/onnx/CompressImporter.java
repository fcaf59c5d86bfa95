package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * ONNX Compress (opsets 9, 11) as a Gather of the true positions of the condition
 * (NonZero of it) along the axis, or along the flattened input when the axis is left out. The result's length is
 * known only at run time. A condition shorter than the axis selects among its first entries, as ONNX says.
 */
final class CompressImporter {
  private CompressImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Compress", CompressImporter::compress);
  }

  private static void compress(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    if (!c.hasInput(1)) throw c.fail("input 1 (condition) is required");
    Object x = c.in(0);
    TensorType cond = ImportContext.typeOf(c.in(1));
    if (cond.rank() != 1 || cond.dtype() != DType.BOOL) throw c.fail("input condition must be a bool vector, got " + cond);
    long axis = 0;
    if (c.attr("axis") == null) {
      x = Ops.reshape(c.step(), x, new long[] {-1});
    } else {
      int rank = ImportContext.typeOf(x).rank();
      axis = c.attrInt("axis", 0);
      if (axis < -rank || axis >= rank) throw c.fail("attribute axis " + axis + " is out of range for input rank " + rank);
      if (axis < 0) axis += rank;
    }
    Object positions = Ops.reshape(c.step(), Ops.nonZero(c.step(), c.in(1)), new long[] {-1});
    c.define(Ops.gather(c, x, positions, axis));
  }
}
