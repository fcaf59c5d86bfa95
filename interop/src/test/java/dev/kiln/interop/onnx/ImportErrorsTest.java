package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.spec.UnsupportedOpException;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: model-level import errors are one line that starts with the node they concern, as {@code node 'NAME'
 * (OP, opset N): reason}, like every per-node error.
 */
class ImportErrorsTest {
  private static String[] s(String... v) { return v; }

  private static UnsupportedOpException refused(GraphProto g) {
    return assertThrows(UnsupportedOpException.class, () -> OnnxImporter.importBytes(model(13, g).toByteArray(),
        ImportOptions.defaults()));
  }

  @Test
  void unsupportedOpsInsideASubgraphAreNamedOnOneLine() {
    GraphProto body = GraphProto.newBuilder().setName("then").addNode(node("Foo", s("x"), s("t"))).addOutput(f32("t", 2)).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2))
        .addInput(ValueInfoProto.newBuilder().setName("c").setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(9).setShape(ai.onnx.proto.OnnxMl.TensorShapeProto.getDefaultInstance()))))
        .addNode(node("If", s("c"), s("y"), AttributeProto.newBuilder().setName("then_branch")
            .setType(AttributeProto.AttributeType.GRAPH).setG(body).build(), AttributeProto.newBuilder().setName("else_branch")
            .setType(AttributeProto.AttributeType.GRAPH).setG(body).build()))
        .addNode(node("Bar", s("y"), s("z"))).addOutput(f32("z", 2)).build();
    String m = refused(g).getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.startsWith("node 't_node' (Foo, opset 13): Kiln cannot import this op;"), m);
    assertTrue(m.contains("Foo (opset 13): 2 nodes ('t_node', 't_node')") && m.contains("Bar (opset 13): 1 node ('z_node')"), m);
  }

  @Test
  void aGraphInputOfAnUnsupportedTypeNamesTheNodeReadingIt() {
    ValueInfoProto text = ValueInfoProto.newBuilder().setName("text").setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(8))).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(text).addInput(f32("x", 2))
        .addNode(node("Identity", s("text"), s("y"))).addOutput(f32("y", 2)).build();
    String m = refused(g).getMessage();
    assertTrue(m.startsWith("node 'y_node' (Identity, opset 13): graph input 'text': unsupported ONNX tensor element type 8"), m);

    GraphProto unread = GraphProto.newBuilder().setName("g").addInput(text).addInput(f32("x", 2))
        .addNode(node("Identity", s("x"), s("y"))).addOutput(f32("y", 2)).build();
    assertTrue(refused(unread).getMessage().startsWith("graph input 'text' (read by no node; model opset 13): unsupported"),
        refused(unread).getMessage());
  }

  @Test
  void anUnnamedNodeIsNamedByItsFirstGivenOutput() {
    NodeProto n = NodeProto.newBuilder().setOpType("Foo").addInput("x").addOutput("").addOutput("second").build();
    assertEquals("node 'second' (Foo, opset 13)", GraphChecks.where(n, 13));
    assertEquals("node 'unnamed Foo' (Foo, opset 13)", GraphChecks.where(NodeProto.newBuilder().setOpType("Foo").build(), 13));
  }
}
