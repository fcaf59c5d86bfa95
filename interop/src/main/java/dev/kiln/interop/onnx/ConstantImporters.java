package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Value;
import java.util.Map;

/**
 * Constants and shape queries: Constant (every value_* form), Shape, Size and ConstantOfShape. They
 * become host constants, so that the shape computations that read them fold away at import time.
 */
final class ConstantImporters {
  private ConstantImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Constant", ConstantImporters::constant);
    m.put("Shape", ConstantImporters::shape);
    m.put("Size", ConstantImporters::size);
    m.put("ConstantOfShape", ConstantImporters::constantOfShape);
  }

  private static void constant(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    if (n.getAttributeCount() != 1) throw ctx.fail("needs exactly one value attribute, has " + n.getAttributeCount());
    AttributeProto a = n.getAttribute(0);
    HostTensor t = switch (a.getName()) {
      case "value" -> tensor(a, ctx);
      case "value_float" -> HostTensor.ofFloats(new float[] {a.getF()});
      case "value_floats" -> {
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
        yield HostTensor.ofFloats(f, f.length);
      }
      case "value_int" -> HostTensor.ofLongs(new long[] {a.getI()});
      case "value_ints" -> HostTensor.ofLongs(a.getIntsList().stream().mapToLong(Long::longValue).toArray(), a.getIntsCount());
      default -> throw ctx.unsupported("attribute '" + a.getName() + "' is not supported");
    };
    ctx.define(t);
  }

  /** A TensorProto attribute as a HostTensor; element types Kiln lacks are unsupported, not malformed. */
  static HostTensor tensor(AttributeProto a, ImportContext ctx) {
    try {
      DType.fromOnnx(a.getT().getDataType());
    } catch (KilnException e) {
      throw ctx.unsupported(e.getMessage());
    }
    try {
      return OnnxTensors.fromProto(a.getT());
    } catch (KilnException e) {
      throw ctx.fail(e.getMessage());
    }
  }

  private static Shape inputShape(ImportContext ctx) {
    Object x = ctx.in(0);
    return x instanceof HostTensor t ? t.type().shape() : ((Value) x).type().shape();
  }

  private static void shape(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs("start", "end");
    Shape s = inputShape(ctx);
    int r = s.rank();
    int start = clampAxis(ctx.attrInt("start", 0), r);
    int end = clampAxis(ctx.attrInt("end", r), r);
    long[] dims = new long[Math.max(0, end - start)];
    for (int i = 0; i < dims.length; i++) {
      Dim d = s.dim(start + i);
      if (!d.isStatic()) {
        runtimeShape(ctx, start, end, r);
        return;
      }
      dims[i] = d.size();
    }
    ctx.define(HostTensor.ofLongs(dims, dims.length));
  }

  /** The IR Shape op, sliced to [start, end) when that is not the whole shape. */
  private static void runtimeShape(ImportContext ctx, int start, int end, int rank) {
    Object x = ctx.in(0);
    if (start == 0 && end == rank) {
      ctx.define(ctx.apply1("Shape", Attrs.EMPTY, x));
      return;
    }
    Object full = ctx.step("Shape", Attrs.EMPTY, x);
    ctx.define(ctx.apply1("Slice", Attrs.of("starts", new long[] {start}, "ends", new long[] {Math.max(start, end)}), full));
  }

  private static int clampAxis(long a, int rank) {
    long v = a < 0 ? a + rank : a;
    return (int) Math.max(0, Math.min(rank, v));
  }

  private static void size(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs();
    Shape s = inputShape(ctx);
    if (!s.isStatic()) throw ctx.unsupported("the shape of its input is dynamic (" + s + ")");
    ctx.define(HostTensor.ofLongs(new long[] {s.elementCount()}));
  }

  private static void constantOfShape(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs("value");
    if (ctx.hasInput(0) && ctx.constant(0) == null) {
      // A shape computed at run time: the IR op, filled when the graph runs.
      AttributeProto v = ctx.attr("value");
      ctx.define(ctx.apply1("ConstantOfShape", v == null ? Attrs.EMPTY : Attrs.of("value", tensor(v, ctx)), ctx.in(0)));
      return;
    }
    long[] shape = ctx.requireConstant(0, "shape").toLongs();
    for (long d : shape) if (d < 0) throw ctx.fail("shape entries must be >= 0, got " + java.util.Arrays.toString(shape));
    long count;
    try {
      count = HostTensor.count(shape);
    } catch (KilnException | ArithmeticException e) {
      throw ctx.fail("shape " + java.util.Arrays.toString(shape) + " is too large");
    }
    if (count > ImportContext.MAX_FOLD_ELEMENTS) throw ctx.unsupported("a constant of " + count + " elements is too large to fold");
    AttributeProto v = ctx.attr("value");
    HostTensor fill = v == null ? HostTensor.ofFloats(new float[] {0f}, 1) : tensor(v, ctx);
    if (fill.size() != 1) throw ctx.fail("value must hold one element, holds " + fill.size());
    ctx.define(HostTensor.filled(fill.dtype(), shape, fill.getDouble(0)));
  }
}
