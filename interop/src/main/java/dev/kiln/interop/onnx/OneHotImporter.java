package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * ONNX OneHot (opsets 9 and 11), whose depth and [off, on] values may be known only at run time: composed at
 * import as Where(Equal(indices at a new axis, Range(0, depth) along it), on, off). Indices of any numeric type
 * are truncated to integers; negative ones count from the end (opset 11's rule); others outside [0, depth) match
 * nothing and give an all-off row. With a constant depth the new axis is static (Range folds).
 */
final class OneHotImporter {
  private OneHotImporter() {}

  static void register(Map<String, NodeImporter> m) { m.put("OneHot", OneHotImporter::oneHot); }

  private static void oneHot(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    for (int i = 0; i < 3; i++) if (!c.hasInput(i)) throw c.fail("input " + i + " (indices, depth, values) is required");
    Object indices = c.in(0);
    TensorType it = ImportContext.typeOf(indices);
    TensorType dt = ImportContext.typeOf(c.in(1));
    TensorType vt = ImportContext.typeOf(c.in(2));
    if (dt.shape().elementCount() != 1 && dt.shape().isStatic()) throw c.fail("input depth must hold one value, has shape " + dt.shape());
    if (vt.rank() != 1 || !vt.shape().dim(0).is(2)) throw c.fail("input values must be [off, on], has shape " + vt.shape());
    int rank = it.rank() + 1;
    long axis = c.attrInt("axis", -1);
    if (axis < -rank || axis >= rank) throw c.fail("attribute axis " + axis + " is out of range [" + -rank + ", " + (rank - 1) + "]");
    if (axis < 0) axis += rank;
    Object depth = Ops.reshape(c.step(), Ops.cast(c.step(), c.in(1), DType.I64), new long[0]);
    Object idx = Ops.cast(c.step(), indices, DType.I64);
    if (c.opset() >= 11) {
      Object negative = Ops.less(c.step(), idx, HostTensor.scalar(DType.I64, 0));
      idx = Ops.where(c.step(), negative, Ops.add(c.step(), idx, depth), idx);
    }
    Object classes = Ops.range(c.step(), HostTensor.scalar(DType.I64, 0), depth, HostTensor.scalar(DType.I64, 1));
    long[] others = new long[rank - 1];
    for (int i = 0, k = 0; i < rank; i++) if (i != axis) others[k++] = i;
    if (others.length > 0) classes = Ops.unsqueeze(c.step(), classes, others);
    Object hit = Ops.equal(c.step(), Ops.unsqueeze(c.step(), idx, new long[] {axis}), classes);
    Object off = Ops.gather(c.step(), c.in(2), HostTensor.scalar(DType.I64, 0), 0);
    Object on = Ops.gather(c.step(), c.in(2), HostTensor.scalar(DType.I64, 1), 0);
    c.define(Ops.where(c, hit, on, off));
  }
}
