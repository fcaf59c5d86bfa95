package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shape computations on a dynamic batch dim, in the forms {@code torch.onnx.export} writes for multi-head
 * attention and for an LSTM's zero initial state, fold through the ops' own folders into Reshape targets
 * and away; what cannot fold is computed at run time instead of being refused.
 */
class SymbolicShapeImportTest {
  private static String[] s(String... v) { return v; }

  private static AttributeProto axis(long v) {
    return AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static GraphProto.Builder graph(ValueInfoProto x) {
    return GraphProto.newBuilder().setName("g").addInput(x)
        .addInitializer(OnnxTensors.toProto("i0", HostTensor.ofLongs(new long[] {0})))
        .addInitializer(OnnxTensors.toProto("i1", HostTensor.ofLongs(new long[] {1})))
        .addInitializer(OnnxTensors.toProto("i2", HostTensor.ofLongs(new long[] {2})))
        .addInitializer(OnnxTensors.toProto("four", HostTensor.ofLongs(new long[] {4})))
        .addInitializer(OnnxTensors.toProto("ax0", HostTensor.ofLongs(new long[] {0}, 1)));
  }

  private static Graph load(GraphProto g) { return OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults()); }

  private static List<String> ops(Graph g) { return g.nodes().stream().map(Node::opName).toList(); }

  @Test
  void headSplitReshapeGetsOneInferredEntry() {
    // [batch, 6, 32] -> [batch * 4, 6, 32 / 4]: Mul of the run-time dim, Div of a static one (folded to 8).
    GraphProto g = graph(f32("x", "batch", 6, 32))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "i0"), s("b")))
        .addNode(node("Mul", s("b", "four"), s("bh")))
        .addNode(node("Gather", s("shp", "i1"), s("seq")))
        .addNode(node("Gather", s("shp", "i2"), s("d")))
        .addNode(node("Div", s("d", "four"), s("hd")))
        .addNode(node("Cast", s("hd"), s("hd64")).toBuilder().addAttribute(AttributeProto.newBuilder().setName("to")
            .setType(AttributeProto.AttributeType.INT).setI(7)).build())
        .addNode(node("Unsqueeze", s("bh", "ax0"), s("u0")))
        .addNode(node("Unsqueeze", s("seq", "ax0"), s("u1")))
        .addNode(node("Unsqueeze", s("hd64", "ax0"), s("u2")))
        .addNode(node("Concat", s("u0", "u1", "u2"), s("target"), axis(0)))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", "n", 6, 8)).build();
    Graph ir = load(g);
    assertEquals(List.of("Reshape"), ops(ir));
    assertArrayEquals(new long[] {-1, 6, 8}, ir.nodes().get(0).attrs().getLongs("shape"));
    assertEquals(Shape.of(List.of(Dim.unknown(), Dim.of(6), Dim.of(8))), ir.outputs().get(0).type().shape());
  }

  @Test
  void theInputsOwnDimIsCopiedAndKeepsItsName() {
    // [batch, 6, 32] -> [batch, -1]: the batch entry is the input's dim 0, so the IR copies it (0).
    GraphProto g = graph(f32("x", "batch", 6, 32))
        .addInitializer(OnnxTensors.toProto("minus1", HostTensor.ofLongs(new long[] {-1}, 1)))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "i0"), s("b")))
        .addNode(node("Unsqueeze", s("b", "ax0"), s("u0")))
        .addNode(node("Concat", s("u0", "minus1"), s("target"), axis(0)))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", "batch", 192)).build();
    Graph ir = load(g);
    assertArrayEquals(new long[] {0, -1}, ir.nodes().get(0).attrs().getLongs("shape"));
    assertEquals(Shape.of(List.of(Dim.symbolic("batch"), Dim.of(192))), ir.outputs().get(0).type().shape());
  }

  /** X [7, batch, 8] (seq first) with zero initial states of shape [1, batch, 16] made from Shape(X). */
  private static GraphProto.Builder lstmWithZeroStates(String fillValueName) {
    GraphProto.Builder g = graph(f32("x", 7, "batch", 8))
        .addInitializer(OnnxTensors.toProto("W", HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {1, 64, 8}, 0.1)))
        .addInitializer(OnnxTensors.toProto("R", HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {1, 64, 16}, 0.1)))
        .addInitializer(OnnxTensors.toProto("B", HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {1, 128}, 0.0)))
        .addInitializer(OnnxTensors.toProto("two", HostTensor.ofLongs(new long[] {2}, 1)))
        .addInitializer(OnnxTensors.toProto("sixteen", HostTensor.ofLongs(new long[] {16}, 1)))
        .addInitializer(OnnxTensors.toProto("one1", HostTensor.ofLongs(new long[] {1}, 1)))
        .addInitializer(OnnxTensors.toProto("zero1", HostTensor.ofLongs(new long[] {0}, 1)))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "i1"), s("b")))
        .addNode(node("Unsqueeze", s("b", "ax0"), s("b1")))
        .addNode(node("Concat", s("two", "b1", "sixteen"), s("hs"), axis(0)));
    var cos = node("ConstantOfShape", s("hs"), s("zeros"));
    if (fillValueName != null) {
      cos = cos.toBuilder().addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
          .setT(OnnxTensors.toProto(fillValueName, HostTensor.ofFloats(new float[] {1f}, 1)))).build();
    }
    return g.addNode(cos)
        // layer 0's states: zeros[0:1] along axis 0, as torch writes them
        .addNode(node("Slice", s("zeros", "zero1", "one1", "zero1"), s("h0")))
        .addNode(node("Slice", s("zeros", "zero1", "one1", "zero1"), s("c0")))
        .addNode(node("LSTM", s("x", "W", "R", "B", "", "h0", "c0"), s("y", "yh", "yc"),
            AttributeProto.newBuilder().setName("hidden_size").setType(AttributeProto.AttributeType.INT).setI(16).build()))
        .addOutput(f32("y", 7, 1, "batch", 16));
  }

  @Test
  void zeroInitialStatesOfRunTimeShapeAreLeftOut() {
    Graph ir = load(lstmWithZeroStates(null).build());
    Node lstm = ir.nodes().stream().filter(n -> n.opName().equals("Lstm")).findFirst().orElseThrow();
    assertEquals(4, lstm.inputs().size(), "X, W, R, B and no initial states: " + lstm.inputs());
    assertEquals(List.of(Dim.of(7), Dim.of(1), Dim.symbolic("batch"), Dim.of(16)), ir.outputs().get(0).type().shape().dims());
  }

  @Test
  void aNonZeroFillIsComputedAtRunTime() {
    Graph ir = load(lstmWithZeroStates("v").build());
    Node lstm = ir.nodes().stream().filter(n -> n.opName().equals("Lstm")).findFirst().orElseThrow();
    assertEquals(6, lstm.inputs().size(), "X, W, R, B and both initial states: " + lstm.inputs());
    assertTrue(ops(ir).containsAll(List.of("Shape", "Gather", "Concat", "ConstantOfShape", "Slice")), ops(ir).toString());
  }

  @Test
  void aShapeUsedAsDataIsComputedAtRunTime() {
    GraphProto g = graph(f32("x", "batch", 3))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Cast", s("shp"), s("f")).toBuilder().addAttribute(AttributeProto.newBuilder().setName("to")
            .setType(AttributeProto.AttributeType.INT).setI(1)).build())
        .addOutput(f32("f", 2)).build();
    Graph ir = load(g);
    assertEquals(List.of("Shape", "Cast"), ops(ir));
    assertEquals(Shape.of(2), ir.outputs().get(0).type().shape());
  }

  @Test
  void twoRunTimeEntriesThatAreNotTheInputsOwnReshapeAtRunTime() {
    // [batch, 6] -> [batch * 2, batch * 3] cannot be written with one -1: the target is computed at run time.
    GraphProto g = graph(f32("x", "batch", 6))
        .addInitializer(OnnxTensors.toProto("two", HostTensor.ofLongs(new long[] {2})))
        .addInitializer(OnnxTensors.toProto("three", HostTensor.ofLongs(new long[] {3})))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "i0"), s("b")))
        .addNode(node("Mul", s("b", "two"), s("b2")))
        .addNode(node("Mul", s("b", "three"), s("b3")))
        .addNode(node("Unsqueeze", s("b2", "ax0"), s("u0")))
        .addNode(node("Unsqueeze", s("b3", "ax0"), s("u1")))
        .addNode(node("Concat", s("u0", "u1"), s("target"), axis(0)))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", "p", "q")).build();
    Graph ir = load(g);
    assertTrue(ops(ir).contains("DynamicReshape"), ops(ir).toString());
    assertEquals(2, ir.outputs().get(0).type().rank());
  }

  @Test
  void sizeOfASymbolicShapeFoldsIntoATarget() {
    // Reshape(x, [Size(x) / 12]) of x [batch, 3, 4]: Size is 12*batch, divided by 12 it is batch again, and
    // the target [batch] is x's own dim 0 only in name, so it is inferred (-1) and keeps the symbol.
    GraphProto g = graph(f32("x", "batch", 3, 4))
        .addInitializer(OnnxTensors.toProto("twelve", HostTensor.ofLongs(new long[] {12})))
        .addNode(node("Size", s("x"), s("n")))
        .addNode(node("Div", s("n", "twelve"), s("b")))
        .addNode(node("Mul", s("b", "twelve"), s("n2")))
        .addNode(node("Unsqueeze", s("n2", "ax0"), s("target")))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", "m")).build();
    Graph ir = load(g);
    assertEquals(List.of("Reshape"), ops(ir));
    assertArrayEquals(new long[] {-1}, ir.nodes().get(0).attrs().getLongs("shape"));
  }
}
