package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Linear quantisation (QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear), composed at import from float
 * arithmetic, Round (halves to even, as ONNX) and casts, following ONNX's definitions term for term. The
 * arithmetic runs in f32; per-axis scales and zero points are reshaped to broadcast along {@code axis}.
 */
final class QuantImporters {
  private QuantImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("QuantizeLinear", QuantImporters::quantize);
    m.put("DequantizeLinear", QuantImporters::dequantize);
    m.put("DynamicQuantizeLinear", QuantImporters::dynamicQuantize);
  }

  /** y = saturate(round(x / scale) + zero_point), in zero_point's type (u8 when it is absent). */
  private static void quantize(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    Object x = c.in(0);
    if (!c.hasInput(1)) throw c.fail("input 1 (y_scale) is required");
    int rank = type(x).rank();
    long axis = c.attrInt("axis", 1);
    Object zp = c.hasInput(2) ? perAxis(c, c.in(2), rank, axis) : null;
    DType out = zp == null ? DType.U8 : type(zp).dtype();
    c.define(quantizeTo(c, Ops.cast(c.step(), x, DType.F32), perAxis(c, c.in(1), rank, axis), zp, out));
  }

  /** y = (x - zero_point) * scale, in f32. */
  private static void dequantize(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis");
    Object x = c.in(0);
    if (!c.hasInput(1)) throw c.fail("input 1 (x_scale) is required");
    int rank = type(x).rank();
    long axis = c.attrInt("axis", 1);
    Object xf = Ops.cast(c.step(), x, DType.F32);
    if (c.hasInput(2)) xf = Ops.sub(c.step(), xf, Ops.cast(c.step(), perAxis(c, c.in(2), rank, axis), DType.F32));
    c.define(Ops.mul(c, xf, Ops.cast(c.step(), perAxis(c, c.in(1), rank, axis), DType.F32)));
  }

  /**
   * u8 quantisation of x by its own range widened to hold 0: scale = (max(x, 0) - min(x, 0)) / 255, zero point =
   * round(clip(-min / scale, 0, 255)), y = QuantizeLinear(x, scale, zero point); outputs y, scale, zero point.
   */
  private static void dynamicQuantize(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    Object x = c.in(0);
    if (type(x).dtype() != DType.F32) throw c.fail("input x must be f32, is " + type(x).dtype());
    long[] all = new long[type(x).rank()];
    for (int i = 0; i < all.length; i++) all[i] = i;
    HostTensor zero = HostTensor.scalar(DType.F32, 0);
    Object max = Ops.maximum(c.step(), Ops.reduceMax(c.step(), x, all, false), zero);
    Object min = Ops.minimum(c.step(), Ops.neg(c.step(), Ops.reduceMax(c.step(), Ops.neg(c.step(), x), all, false)), zero);
    Object scale = Ops.div(c.step(), Ops.sub(c.step(), max, min), HostTensor.scalar(DType.F32, 255));
    Object zpFloat = Ops.sub(c.step(), zero, Ops.div(c.step(), min, scale));
    zpFloat = Ops.round(c.step(), Ops.minimum(c.step(), Ops.maximum(c.step(), zpFloat, zero), HostTensor.scalar(DType.F32, 255)));
    Object zp = Ops.cast(c.step(), zpFloat, DType.U8);
    c.define(0, quantizeTo(c, x, scale, zp, DType.U8));
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) c.define(1, Ops.identity(c.step(), scale));
    if (n.getOutputCount() > 2 && !n.getOutput(2).isEmpty()) c.define(2, Ops.identity(c.step(), zp));
  }

  static Object quantizeTo(ImportContext c, Object xf, Object scale, Object zp, DType out) {
    double lo;
    double hi;
    switch (out) {
      case U8 -> { lo = 0; hi = 255; }
      case I8 -> { lo = -128; hi = 127; }
      default -> throw c.unsupported("quantising to " + out + " is not supported (u8 and i8 are)");
    }
    Object q = Ops.round(c.step(), Ops.div(c.step(), xf, Ops.cast(c.step(), scale, DType.F32)));
    if (zp != null) q = Ops.add(c.step(), q, Ops.cast(c.step(), zp, DType.F32));
    q = Ops.minimum(c.step(), Ops.maximum(c.step(), q, HostTensor.scalar(DType.F32, lo)), HostTensor.scalar(DType.F32, hi));
    return Ops.cast(c, q, out);
  }

  /** A scale or zero point: a scalar (or one value) as is, a vector reshaped to lie along {@code axis} of x. */
  static Object perAxis(ImportContext c, Object v, int rank, long axis) {
    TensorType t = type(v);
    if (t.rank() == 0 || (t.rank() == 1 && t.shape().dim(0).is(1))) return v;
    if (t.rank() != 1) throw c.fail("scale and zero point must be scalars or vectors, got " + t);
    if (axis < -rank || axis >= rank) throw c.fail("attribute axis " + axis + " is out of range for input rank " + rank);
    long[] shape = new long[rank];
    java.util.Arrays.fill(shape, 1);
    shape[(int) (axis < 0 ? axis + rank : axis)] = -1;
    return Ops.reshape(c.step(), v, shape);
  }

  private static TensorType type(Object o) { return ImportContext.typeOf(o); }
}
