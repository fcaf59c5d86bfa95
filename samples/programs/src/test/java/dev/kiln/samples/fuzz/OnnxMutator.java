package dev.kiln.samples.fuzz;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Structural mutations of an ONNX model, made on its protobuf so the result still parses and reaches the
 * importer's deeper checks: dims and dtypes of inputs and initializers, renamed (dangling) and cyclic edges,
 * dropped or duplicated nodes, attribute types and values, op types, opsets, and external data pointing at
 * files in, beside and outside the model's folder ({@link FuzzFolder}).
 */
final class OnnxMutator {
  private static final long[] DIMS = {0, 1, 2, 3, -1, -7, 1L << 20, 1L << 31, 1L << 40, Long.MAX_VALUE};
  private static final String[] OPS = {"Add", "Relu", "Reshape", "Conv", "Gemm", "MatMul", "Pad", "Concat", "Slice", "Gather",
      "Transpose", "Resize", "LSTM", "MaxPool", "Split", "Expand", "ConstantOfShape", "Range", "TopK", "Where", "Squeeze",
      "Unsqueeze", "ReduceSum", "Softmax", "Einsum", "NonZero", "Tile", "ScatterND", "If", "Loop"};

  private OnnxMutator() {}

  static ModelProto mutate(ModelProto m, SplittableRandom r) {
    ModelProto.Builder mb = m.toBuilder();
    GraphProto.Builder g = mb.getGraphBuilder();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(10)) {
        case 0 -> dims(g, r);
        case 1 -> dtype(g, r);
        case 2 -> edge(g, r);
        case 3 -> nodes(g, r);
        case 4 -> attribute(g, r);
        case 5 -> { if (g.getNodeCount() > 0) g.getNodeBuilder(r.nextInt(g.getNodeCount())).setOpType(OPS[r.nextInt(OPS.length)]); }
        case 6 -> { if (mb.getOpsetImportCount() > 0) mb.getOpsetImportBuilder(0).setVersion(r.nextInt(-1, 30)); }
        case 7, 8 -> external(g, r);
        default -> initializerData(g, r);
      }
    }
    return mb.build();
  }

  private static void dims(GraphProto.Builder g, SplittableRandom r) {
    if (r.nextBoolean() && g.getInitializerCount() > 0) {
      TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
      if (t.getDimsCount() > 0 && r.nextBoolean()) t.setDims(r.nextInt(t.getDimsCount()), DIMS[r.nextInt(DIMS.length)]);
      else t.addDims(DIMS[r.nextInt(DIMS.length)]);
    } else if (g.getInputCount() > 0) {
      ValueInfoProto.Builder v = g.getInputBuilder(r.nextInt(g.getInputCount()));
      TensorShapeProto.Builder s = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
      TensorShapeProto.Dimension d = r.nextInt(4) == 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("n" + r.nextInt(3)).build()
          : TensorShapeProto.Dimension.newBuilder().setDimValue(DIMS[r.nextInt(DIMS.length)]).build();
      if (s.getDimCount() > 0 && r.nextBoolean()) s.setDim(r.nextInt(s.getDimCount()), d);
      else if (r.nextBoolean()) s.addDim(d);
      else v.getTypeBuilder().getTensorTypeBuilder().clearShape();
    }
  }

  private static void dtype(GraphProto.Builder g, SplittableRandom r) {
    int dt = r.nextInt(0, 24);
    if (r.nextBoolean() && g.getInitializerCount() > 0) g.getInitializerBuilder(r.nextInt(g.getInitializerCount())).setDataType(dt);
    else if (g.getInputCount() > 0) g.getInputBuilder(r.nextInt(g.getInputCount())).getTypeBuilder().getTensorTypeBuilder().setElemType(dt);
  }

  /** Renames a node input to a missing value, to an empty name, to a later node's output (a cycle), or adds one. */
  private static void edge(GraphProto.Builder g, SplittableRandom r) {
    if (g.getNodeCount() == 0) return;
    int i = r.nextInt(g.getNodeCount());
    NodeProto.Builder node = g.getNodeBuilder(i);
    String name = switch (r.nextInt(4)) {
      case 0 -> "dangling_" + r.nextInt(3);
      case 1 -> "";
      default -> {
        NodeProto other = g.getNode(r.nextInt(g.getNodeCount()));
        yield other.getOutputCount() > 0 ? other.getOutput(0) : "";
      }
    };
    if (node.getInputCount() > 0 && r.nextInt(3) > 0) node.setInput(r.nextInt(node.getInputCount()), name);
    else if (r.nextBoolean()) node.addInput(name);
    else if (node.getOutputCount() > 0) node.setOutput(0, name.isEmpty() ? "renamed" : name);
  }

  private static void nodes(GraphProto.Builder g, SplittableRandom r) {
    if (g.getNodeCount() == 0) return;
    int i = r.nextInt(g.getNodeCount());
    switch (r.nextInt(3)) {
      case 0 -> g.removeNode(i);
      case 1 -> g.addNode(g.getNode(i));
      default -> { NodeProto n = g.getNode(i); g.removeNode(i); g.addNode(0, n); }
    }
  }

  private static void attribute(GraphProto.Builder g, SplittableRandom r) {
    if (g.getNodeCount() == 0) return;
    NodeProto.Builder node = g.getNodeBuilder(r.nextInt(g.getNodeCount()));
    if (node.getAttributeCount() == 0 || r.nextInt(4) == 0) {
      String[] names = {"axis", "axes", "perm", "pads", "kernel_shape", "strides", "group", "mode", "to", "value", "shape"};
      node.addAttribute(randomAttr(names[r.nextInt(names.length)], r));
      return;
    }
    int a = r.nextInt(node.getAttributeCount());
    AttributeProto old = node.getAttribute(a);
    AttributeProto.AttributeType type = AttributeProto.AttributeType.forNumber(r.nextInt(0, 15));
    if (type == null) type = AttributeProto.AttributeType.UNDEFINED;
    node.setAttribute(a, r.nextInt(5) == 0 ? old.toBuilder().setType(type).build() : randomAttr(old.getName(), r));
  }

  private static AttributeProto randomAttr(String name, SplittableRandom r) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
    switch (r.nextInt(5)) {
      case 0 -> b.setType(AttributeProto.AttributeType.INT).setI(DIMS[r.nextInt(DIMS.length)] * (r.nextBoolean() ? 1 : -1));
      case 1 -> {
        b.setType(AttributeProto.AttributeType.INTS);
        int k = r.nextInt(9);
        for (int j = 0; j < k; j++) b.addInts(r.nextInt(6) == 0 ? DIMS[r.nextInt(DIMS.length)] : r.nextInt(-4, 5));
      }
      case 2 -> b.setType(AttributeProto.AttributeType.FLOAT).setF(new float[] {0, -1, Float.NaN, Float.POSITIVE_INFINITY, 1e30f}[r.nextInt(5)]);
      case 3 -> b.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(
          new String[] {"", "constant", "reflect", "edge", "nearest", "linear", "cubic", "\0", "NOTSET"}[r.nextInt(9)]));
      default -> b.setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder().setDataType(r.nextInt(0, 17))
          .addDims(r.nextInt(0, 4)).setRawData(com.google.protobuf.ByteString.copyFrom(new byte[r.nextInt(0, 17)])));
    }
    return b.build();
  }

  /** Moves an initializer's bytes to an external location: a good file, a link, a hard link, an escape. */
  private static void external(GraphProto.Builder g, SplittableRandom r) {
    if (g.getInitializerCount() == 0) {
      g.addInitializer(TensorProto.newBuilder().setName("ext").setDataType(1).addDims(4));
    }
    TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
    List<String> places = FuzzFolder.LOCATIONS;
    t.clearRawData().clearFloatData().clearInt64Data().clearInt32Data().clearDoubleData().clearExternalData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(places.get(r.nextInt(places.size()))));
    if (r.nextBoolean()) t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(
        new String[] {"0", "4", "-4", "99999999999", "x"}[r.nextInt(5)]));
    if (r.nextInt(3) == 0) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(String.valueOf(r.nextInt(0, 64))));
  }

  private static void initializerData(GraphProto.Builder g, SplittableRandom r) {
    if (g.getInitializerCount() == 0) return;
    TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
    switch (r.nextInt(3)) {
      case 0 -> t.setRawData(com.google.protobuf.ByteString.copyFrom(new byte[r.nextInt(0, 64)]));
      case 1 -> t.clearRawData().addFloatData(1f).addInt64Data(7);
      default -> t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
    }
  }
}
