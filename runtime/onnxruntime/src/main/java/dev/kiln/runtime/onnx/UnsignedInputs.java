package dev.kiln.runtime.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.spec.DType;
import dev.kiln.spec.ModelFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime's Java API (1.28) cannot create u16, u32 or u64 tensors, so a model with such graph inputs
 * could not be fed. This rewrites those inputs to the signed type of the same width, each followed by a
 * Cast back to the unsigned type (a two's-complement reinterpretation: ONNX Runtime casts integers with
 * C++ {@code static_cast}, which is modular); callers feed the same bytes as the signed type.
 */
final class UnsignedInputs {
  private UnsignedInputs() {}

  /** The signed dtype of the same width as unsigned {@code d}. */
  static DType signedOf(DType d) {
    return switch (d) {
      case U16 -> DType.I16;
      case U32 -> DType.I32;
      case U64 -> DType.I64;
      default -> throw new IllegalArgumentException("not a u16/u32/u64 dtype: " + d);
    };
  }

  /** The model with the inputs in {@code unsigned} (name to their unsigned dtype) declared signed and cast inside. */
  static byte[] rewrite(byte[] model, Map<String, DType> unsigned) {
    ModelProto m;
    try {
      m = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFileException("cannot parse the model to rewrite its unsigned inputs: " + e.getMessage(), e);
    }
    GraphProto.Builder g = m.getGraph().toBuilder();
    List<NodeProto> nodes = new ArrayList<>();
    for (int i = 0; i < g.getInputCount(); i++) {
      ValueInfoProto in = g.getInput(i);
      DType d = unsigned.get(in.getName());
      if (d == null) continue;
      String inner = in.getName() + "__kiln_unsigned";
      var tt = in.getType().getTensorType().toBuilder().setElemType(signedOf(d).onnxCode());
      g.setInput(i, in.toBuilder().setType(in.getType().toBuilder().setTensorType(tt)));
      for (NodeProto.Builder n : g.getNodeBuilderList()) {
        for (int k = 0; k < n.getInputCount(); k++) if (n.getInput(k).equals(in.getName())) n.setInput(k, inner);
      }
      for (int k = 0; k < g.getOutputCount(); k++) {
        if (g.getOutput(k).getName().equals(in.getName())) {
          throw new ModelFileException("input '" + in.getName() + "' of type " + d + " is also a graph output; ONNX Runtime's Java API cannot pass it");
        }
      }
      nodes.add(NodeProto.newBuilder().setOpType("Cast").setName(inner).addInput(in.getName()).addOutput(inner)
          .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT).setI(d.onnxCode()))
          .build());
    }
    nodes.addAll(g.getNodeList());
    g.clearNode().addAllNode(nodes);
    return m.toBuilder().setGraph(g).build().toByteArray();
  }
}
