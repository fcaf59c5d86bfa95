package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Constants and shape queries: Constant (every value_* form), Shape, Size and ConstantOfShape. Constants
 * stay on the host; the others are IR ops whose folders make constants, or symbolic shape values where
 * dims are dynamic, so that the shape computations that read them fold away at import time.
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

  /** Shape (with start/end from opset 15): the IR Shape op, sliced; both fold (to symbolic entries where dims are). */
  private static void shape(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs("start", "end");
    Object x = ctx.in(0);
    int r = ImportContext.typeOf(x).rank();
    int start = clampAxis(ctx.attrInt("start", 0), r);
    int end = clampAxis(ctx.attrInt("end", r), r);
    if (start == 0 && end == r) {
      ctx.define(Ops.shape(ctx, x));
      return;
    }
    Object full = Ops.shape(ctx.step(), x);
    ctx.define(Ops.slice(ctx, full, new long[] {start}, new long[] {Math.max(start, end)}));
  }

  private static int clampAxis(long a, int rank) {
    long v = a < 0 ? a + rank : a;
    return (int) Math.max(0, Math.min(rank, v));
  }

  /** Size = the product of the shape's entries (ReduceProd of Shape), folded like any shape computation. */
  private static void size(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs();
    Object shape = Ops.shape(ctx.step(), ctx.in(0));
    ctx.define(Ops.reduceProd(ctx, shape, new long[0], false));
  }

  /** The IR op, whose folder makes a constant of a constant shape, or a fill of a symbolic one. */
  private static void constantOfShape(ai.onnx.proto.OnnxMl.NodeProto n, ImportContext ctx) {
    ctx.onlyAttrs("value");
    if (!ctx.hasInput(0)) throw ctx.fail("input 0 (shape) is required");
    AttributeProto v = ctx.attr("value");
    HostTensor fill = v == null ? null : tensor(v, ctx);
    if (fill != null && fill.size() != 1) throw ctx.fail("value must hold one element, holds " + fill.size());
    ctx.define(Ops.constantOfShape(ctx, ctx.in(0), fill == null ? Attrs.EMPTY : Attrs.of("value", fill)));
  }
}
