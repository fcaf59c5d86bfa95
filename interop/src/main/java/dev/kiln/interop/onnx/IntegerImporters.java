package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Integer and quantised products: MatMulInteger (an i32 MatMul of the centred operands, exact as int32 is),
 * ConvInteger, QLinearMatMul and QLinearConv. The last three accumulate the centred integers in an f32 product,
 * which is exact while every sum stays below 2^24 (checked from the reduction length; larger products are refused
 * rather than rounded), then requantise: round(acc * x_scale * w_scale / y_scale) + y_zero_point, saturated.
 */
final class IntegerImporters {
  private IntegerImporters() {}

  /** Largest integer up to which f32 sums of integers are exact. */
  private static final double EXACT = 1 << 24;

  static void register(Map<String, NodeImporter> m) {
    m.put("MatMulInteger", IntegerImporters::matMulInteger);
    m.put("ConvInteger", IntegerImporters::convInteger);
    m.put("QLinearMatMul", IntegerImporters::qLinearMatMul);
    m.put("QLinearConv", IntegerImporters::qLinearConv);
  }

  private static void matMulInteger(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    Object a = centred(c, c.in(0), c.hasInput(2) ? rowZeroPoint(c, c.in(2)) : null, DType.I32);
    Object b = centred(c, c.in(1), c.hasInput(3) ? c.in(3) : null, DType.I32);
    c.define(Ops.matMul(c, a, b));
  }

  private static void convInteger(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
    Attrs a = WindowImporters.convAttrs(c, c.in(1));
    exactConv(c, c.in(1));
    Object x = centred(c, c.in(0), c.hasInput(2) ? c.in(2) : null, DType.F32);
    Object w = centred(c, c.in(1), c.hasInput(3) ? filterZeroPoint(c, c.in(3), c.in(1)) : null, DType.F32);
    c.define(Ops.cast(c, Ops.conv(c.step(), x, w, null, a), DType.I32));
  }

  /** Inputs a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point. */
  private static void qLinearMatMul(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    for (int i = 0; i < 8; i++) if (!c.hasInput(i)) throw c.fail("input " + i + " is required");
    Shape as = ImportContext.typeOf(c.in(0)).shape();
    long k = as.rank() > 0 && as.dim(as.rank() - 1).isStatic() ? as.dim(as.rank() - 1).size() : -1;
    exact(c, k);
    Object acc = Ops.matMul(c.step(), centred(c, c.in(0), rowZeroPoint(c, c.in(2)), DType.F32), centred(c, c.in(3), c.in(5), DType.F32));
    Object scale = Ops.mul(c.step(), f32(c, rowZeroPoint(c, c.in(1))), f32(c, c.in(4)));
    c.define(requantise(c, acc, scale, c.in(6), c.in(7)));
  }

  /** Inputs x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, optional i32 bias. */
  private static void qLinearConv(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
    for (int i = 0; i < 8; i++) if (!c.hasInput(i)) throw c.fail("input " + i + " is required");
    Object wq = c.in(3);
    Attrs a = WindowImporters.convAttrs(c, wq);
    exactConv(c, wq);
    Object x = centred(c, c.in(0), c.in(2), DType.F32);
    Object w = centred(c, wq, filterZeroPoint(c, c.in(5), wq), DType.F32);
    Object acc = Ops.conv(c.step(), x, w, null, a);
    int rank = ImportContext.typeOf(c.in(0)).rank();
    if (c.hasInput(8)) acc = Ops.add(c.step(), acc, f32(c, QuantImporters.perAxis(c, c.in(8), rank, 1)));
    Object scale = Ops.mul(c.step(), f32(c, c.in(1)), f32(c, QuantImporters.perAxis(c, c.in(4), rank, 1)));
    c.define(requantise(c, acc, scale, c.in(6), c.in(7)));
  }

  /** round(acc * scale / y_scale) + y_zero_point, saturated to y_zero_point's type. */
  private static Object requantise(ImportContext c, Object acc, Object scale, Object yScale, Object yZero) {
    Object real = Ops.mul(c.step(), acc, scale);
    DType out = ImportContext.typeOf(yZero).dtype();
    return QuantImporters.quantizeTo(c, real, f32(c, yScale), yZero, out);
  }

  /** x - zero_point in {@code dt}. */
  private static Object centred(ImportContext c, Object x, Object zp, DType dt) {
    Object v = Ops.cast(c.step(), x, dt);
    return zp == null ? v : Ops.sub(c.step(), v, Ops.cast(c.step(), zp, dt));
  }

  private static Object f32(ImportContext c, Object v) { return Ops.cast(c.step(), v, DType.F32); }

  /** A per-row zero point (or scale) of the left operand, [M], as [M, 1]; one value as is. */
  private static Object rowZeroPoint(ImportContext c, Object zp) {
    TensorType t = ImportContext.typeOf(zp);
    if (t.rank() == 0 || (t.rank() == 1 && t.shape().dim(0).is(1))) return zp;
    return Ops.reshape(c.step(), zp, new long[] {-1, 1});
  }

  /** A per-output-channel zero point of conv weights [M, C, k...], as [M, 1, 1...]; one value as is. */
  private static Object filterZeroPoint(ImportContext c, Object zp, Object w) {
    return QuantImporters.perAxis(c, zp, ImportContext.typeOf(w).rank(), 0);
  }

  private static void exactConv(ImportContext c, Object w) {
    Shape ws = ImportContext.typeOf(w).shape();
    long k = 1;
    for (int i = 1; i < ws.rank(); i++) k = ws.dim(i).isStatic() && k > 0 ? k * ws.dim(i).size() : -1;
    exact(c, k);
  }

  /** Refuses a product whose sums of k terms of centred 8-bit values (each below 255^2) could pass 2^24. */
  private static void exact(ImportContext c, long k) {
    if (k < 0 || k * 255.0 * 255.0 >= EXACT) {
      throw c.unsupported("a reduction over " + (k < 0 ? "a run-time number of" : k) + " terms could exceed f32's exact "
          + "integer range (2^24); at most " + (long) (EXACT / (255.0 * 255.0)) + " are supported");
    }
  }
}
