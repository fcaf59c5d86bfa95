package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.ints;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static dev.kiln.interop.onnx.Models.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OnnxImporterTest {
  private static final String[] NONE = new String[0];

  private static String[] s(String... v) { return v; }

  /** y = relu(x + b) with a symbolic batch and b an initializer. */
  private static ModelProto addRelu() {
    GraphProto g = GraphProto.newBuilder().setName("g")
        .addInput(f32("x", "batch", 3))
        .addInitializer(OnnxTensors.toProto("b", HostTensor.ofFloats(new float[] {1, 2, 3}, 3)))
        .addNode(node("Add", s("x", "b"), s("s")))
        .addNode(node("Relu", s("s"), s("y")))
        .addOutput(f32("y", "batch", 3)).build();
    return model(17, g);
  }

  @Test
  void importsSymbolicDimsAndFrozenNamedParameters() {
    Graph g = OnnxImporter.importBytes(addRelu().toByteArray(), ImportOptions.defaults());
    assertEquals(Dim.symbolic("batch"), g.inputs().get(0).type().shape().dim(0));
    assertEquals("b", g.parameters().get(0).name());
    assertFalse(g.parameters().get(0).trainable());
    assertEquals(Arrays.asList("Add", "Relu"), g.nodes().stream().map(Node::opName).toList());
    assertEquals("y", g.outputs().get(0).name());
    assertEquals(Dim.symbolic("batch"), g.outputs().get(0).type().shape().dim(0));
  }

  @Test
  void trainablePatternSelectsInitializers() {
    Graph all = OnnxImporter.importBytes(addRelu().toByteArray(), ImportOptions.defaults().trainable(true));
    assertTrue(all.parameters().get(0).trainable());
    Graph none = OnnxImporter.importBytes(addRelu().toByteArray(), ImportOptions.defaults().trainable("w.*"));
    assertFalse(none.parameters().get(0).trainable());
  }

  @Test
  void unsupportedOpsAreListedInOneError() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2))
        .addNode(node("Foo", s("x"), s("a"))).addNode(node("Foo", s("a"), s("b"))).addNode(node("Bar", s("b"), s("y")))
        .addOutput(f32("y", 2)).build();
    UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
        () -> OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults()));
    assertTrue(e.getMessage().contains("Foo (opset 13): 2 nodes"), e.getMessage());
    assertTrue(e.getMessage().contains("Bar (opset 13): 1 node"), e.getMessage());
  }

  @Test
  void shapeSubgraphFoldsIntoReshape() {
    // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): the classic flatten-by-shape subgraph.
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2, 3, 4))
        .addInitializer(OnnxTensors.toProto("zero", HostTensor.ofLongs(new long[] {0})))
        .addInitializer(OnnxTensors.toProto("ax", HostTensor.ofLongs(new long[] {0}, 1)))
        .addInitializer(OnnxTensors.toProto("minus1", HostTensor.ofLongs(new long[] {-1}, 1)))
        .addNode(node("Shape", s("x"), s("shp")))
        .addNode(node("Gather", s("shp", "zero"), s("n")))
        .addNode(node("Unsqueeze", s("n", "ax"), s("n1")))
        .addNode(node("Concat", s("n1", "minus1"), s("target"), Models.ints("axis", 0).toBuilder()
            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(0).clearInts().build()))
        .addNode(node("Reshape", s("x", "target"), s("y")))
        .addOutput(f32("y", 2, 12)).build();
    Graph ir = OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults());
    assertEquals(Arrays.asList("Reshape"), ir.nodes().stream().map(Node::opName).toList());
    assertArrayEquals(new long[] {2, -1}, ir.nodes().get(0).attrs().getLongs("shape"));
    assertTrue(ir.parameters().isEmpty(), "shape constants must not become parameters");
  }

  @Test
  void autoPadSameUpperBecomesExplicitPads() {
    // in 5, kernel 2, stride 2: out 3, total pad (3-1)*2+2-5 = 1 → SAME_UPPER puts it at the end.
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 1, 1, 5, 5))
        .addNode(node("MaxPool", s("x"), s("y"), ints("kernel_shape", 2, 2), ints("strides", 2, 2), str("auto_pad", "SAME_UPPER")))
        .addOutput(f32("y", 1, 1, 3, 3)).build();
    Graph ir = OnnxImporter.importBytes(model(13, g).toByteArray(), ImportOptions.defaults());
    assertArrayEquals(new long[] {0, 0, 1, 1}, ir.nodes().get(0).attrs().getLongs("pads"));
    assertEquals(dev.kiln.spec.Shape.of(1, 1, 3, 3), ir.outputs().get(0).type().shape());
  }

  @Test
  void oldReduceAttributeFormAndSoftmaxCoercion() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2, 3, 4))
        .addNode(node("ReduceSum", s("x"), s("r"), ints("axes", 1)))
        .addNode(node("Softmax", s("x"), s("y")))
        .addOutput(f32("r", 2, 1, 4)).addOutput(f32("y", 2, 3, 4)).build();
    Graph ir = OnnxImporter.importBytes(model(11, g).toByteArray(), ImportOptions.defaults());
    assertArrayEquals(new long[] {1}, ir.nodes().get(0).attrs().getLongs("axes"));
    // Softmax-11 over axis 1 of a rank-3 input normalises the last two axes together.
    assertEquals(Arrays.asList("ReduceSum", "Flatten", "Softmax", "Reshape"), ir.nodes().stream().map(Node::opName).toList());
  }

  @Test
  void truncatedAndForeignBytesAreModelFileErrors() {
    byte[] good = addRelu().toByteArray();
    ModelFileException t = assertThrows(ModelFileException.class,
        () -> OnnxImporter.importBytes(Arrays.copyOf(good, good.length / 2), ImportOptions.defaults()));
    assertTrue(t.getMessage().contains("not an ONNX model"), t.getMessage());
    ModelFileException f = assertThrows(ModelFileException.class,
        () -> OnnxImporter.importBytes("PK\u0003\u0004 this is a zip, not onnx".getBytes(), ImportOptions.defaults()));
    assertTrue(f.getMessage().contains("not an ONNX model"), f.getMessage());
  }

  @Test
  void cyclesAndUndefinedValuesNameTheNode() {
    GraphProto cyc = GraphProto.newBuilder().setName("g").addInput(f32("x", 2))
        .addNode(node("Add", s("x", "b"), s("a"))).addNode(node("Relu", s("a"), s("b")))
        .addOutput(f32("b", 2)).build();
    ModelFileException c = assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(model(13, cyc), null, ImportOptions.defaults()));
    assertTrue(c.getMessage().contains("cycle") && c.getMessage().contains("opset 13"), c.getMessage());
    GraphProto undef = GraphProto.newBuilder().setName("g").addInput(f32("x", 2))
        .addNode(node("Add", s("x", "nowhere"), s("y"))).addOutput(f32("y", 2)).build();
    ModelFileException u = assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(model(13, undef), null, ImportOptions.defaults()));
    assertTrue(u.getMessage().contains("'nowhere'") && u.getMessage().contains("(Add, opset 13)"), u.getMessage());
  }

  @Test
  void negativeDimsAndMismatchedInitializersAreRejected() {
    GraphProto neg = GraphProto.newBuilder().setName("g").addInput(f32("x", -3))
        .addNode(node("Relu", s("x"), s("y"))).addOutput(f32("y", 3)).build();
    assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(model(13, neg), null, ImportOptions.defaults()));
    TensorProto bad = TensorProto.newBuilder().setName("b").setDataType(1).addDims(1000000).addDims(1000000)
        .setRawData(ByteString.copyFrom(new byte[12])).build();
    GraphProto mism = addRelu().getGraph().toBuilder().setInitializer(0, bad).build();
    ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(model(13, mism), null, ImportOptions.defaults()));
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("bytes"), e.getMessage());
  }

  @Test
  void opsetsOutsideOneToTwentyOneAreRefused() {
    assertThrows(UnsupportedOpException.class, () -> OnnxImporter.importModel(model(0, addRelu().getGraph()), null, ImportOptions.defaults()));
    assertThrows(UnsupportedOpException.class, () -> OnnxImporter.importModel(model(22, addRelu().getGraph()), null, ImportOptions.defaults()));
  }

  @Test
  void everyImportableTypeHasAnImporter() {
    for (String t : new String[] {"Add", "Relu", "Conv", "MaxPool", "Reshape", "Gemm", "Shape", "Constant", "Softmax", "ReduceMean"}) {
      assertTrue(Importers.forType(t) != null, t);
    }
  }
}
