package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operands computed at run time import as the Dynamic ops (with rank known, dims unknown), while constant ones
 * keep folding to the canonical ops' attributes.
 */
class RuntimeShapeImportTest {
  private static String[] s(String... v) { return v; }

  private static ValueInfoProto i64(String name, long n) {
    TensorShapeProto shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n)).build();
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(7).setShape(shape))).build();
  }

  private static List<String> ops(Graph g) { return g.nodes().stream().map(Node::opName).toList(); }

  @Test
  void flattenBySymbolicShapeFoldsToOneReshapeKeepingTheBatch() {
    // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])) with a symbolic batch: the ops' folders work the
    // target out on the host as [batch, -1], so one static Reshape remains and the batch stays symbolic.
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", "batch", 3, 4))
        .addInitializer(OnnxTensors.toProto("zero", HostTensor.ofLongs(new long[] {0})))
        .addInitializer(OnnxTensors.toProto("ax", HostTensor.ofLongs(new long[] {0}, 1)))
        .addInitializer(OnnxTensors.toProto("minus1", HostTensor.ofLongs(new long[] {-1}, 1)))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "zero"), s("n")))
        .addNode(node("Unsqueeze", s("n", "ax"), s("n1")))
        .addNode(node("Concat", s("n1", "minus1"), s("target"), Models.ints("axis", 0).toBuilder()
            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(0).clearInts().build()))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", "batch", 12)).build();
    Graph ir = OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults());
    List<String> ops = ops(ir);
    assertEquals(List.of("Reshape"), ops);
    assertEquals("batch", ir.outputs().get(0).type().shape().dim(0).toString());
    assertEquals(12, ir.outputs().get(0).type().shape().dim(1).size());
  }

  @Test
  void tileRepeatsConstantOrComputedAtRunTime() {
    GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2, 3))
        .addNode(node("Tile", s("x", "r"), s("y"))).addOutput(f32("y", 4, 3));
    Graph constant = OnnxImporter.importBytes(model(13, g.clone()
        .addInitializer(OnnxTensors.toProto("r", HostTensor.ofLongs(new long[] {2, 1}, 2))).build()).toByteArray(), ImportOptions.defaults());
    assertEquals(List.of("Tile"), ops(constant));
    assertArrayEquals(new long[] {2, 1}, constant.nodes().get(0).attrs().getLongs("repeats"));
    assertArrayEquals(new long[] {4, 3}, constant.outputs().get(0).type().shape().sizes());
    Graph runtime = OnnxImporter.importBytes(model(13, g.clone().addInput(i64("r", 2)).build()).toByteArray(), ImportOptions.defaults());
    assertEquals(List.of("DynamicTile"), ops(runtime));
  }

  @Test
  void reduceSumAxesAndSliceBoundsAtRunTime() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 4, 5)).addInput(i64("axes", 1))
        .addInput(i64("starts", 1)).addInput(i64("ends", 1))
        .addNode(node("Slice", s("x", "starts", "ends"), s("sl")))
        .addNode(node("ReduceSum", s("sl", "axes"), s("y"), Models.ints("keepdims", 0).toBuilder()
            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(0).clearInts().build()))
        .addOutput(f32("y", 5)).build();
    Graph ir = OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults());
    assertEquals(List.of("DynamicSlice", "DynamicReduceSum"), ops(ir));
    assertEquals(1, ir.outputs().get(0).type().rank());
  }
}
