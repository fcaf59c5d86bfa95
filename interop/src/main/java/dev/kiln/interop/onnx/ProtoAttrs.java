package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.op.AttrSpec.AttrKind;

/** Reads ONNX attributes as IR attribute values, checking the ONNX type against what the IR expects. */
final class ProtoAttrs {
  private ProtoAttrs() {}

  static long toLong(AttributeProto a, ImportContext ctx) {
    if (a.getType() != AttributeType.INT) throw ctx.fail("attribute '" + a.getName() + "' must be an int, is " + a.getType());
    return a.getI();
  }

  static double toDouble(AttributeProto a, ImportContext ctx) {
    if (a.getType() == AttributeType.INT) return a.getI();
    if (a.getType() != AttributeType.FLOAT) throw ctx.fail("attribute '" + a.getName() + "' must be a float, is " + a.getType());
    return a.getF();
  }

  static long[] toLongs(AttributeProto a, ImportContext ctx) {
    if (a.getType() != AttributeType.INTS) throw ctx.fail("attribute '" + a.getName() + "' must be ints, is " + a.getType());
    return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  /** The attribute converted to the IR kind {@code kind}. */
  static Object toIr(AttributeProto a, AttrKind kind, ImportContext ctx) {
    return switch (kind) {
      case INT -> toLong(a, ctx);
      case FLOAT -> toDouble(a, ctx);
      case BOOL -> toLong(a, ctx) != 0;
      case INTS -> toLongs(a, ctx);
      case FLOATS -> a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
      case STRING -> a.getS().toStringUtf8();
      case DTYPE -> {
        try {
          yield DType.fromOnnx(Math.toIntExact(toLong(a, ctx)));
        } catch (KilnException | ArithmeticException e) {
          throw ctx.unsupported("attribute '" + a.getName() + "': " + e.getMessage());
        }
      }
      case TENSOR -> {
        if (a.getType() != AttributeType.TENSOR) throw ctx.fail("attribute '" + a.getName() + "' must be a tensor, is " + a.getType());
        yield OnnxTensors.fromProto(a.getT());
      }
      case GRAPH -> throw ctx.unsupported("attribute '" + a.getName() + "': a subgraph is imported by its op's importer only");
    };
  }
}
