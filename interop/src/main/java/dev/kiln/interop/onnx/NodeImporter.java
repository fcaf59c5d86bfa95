package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;

/** Imports one kind of ONNX node: reads its inputs and attributes from the context, defines its outputs. */
@FunctionalInterface
public interface NodeImporter {
  /** Imports {@code node}; throws {@link ImportContext#unsupported(String)} for forms it cannot express. */
  void importNode(NodeProto node, ImportContext ctx);
}
