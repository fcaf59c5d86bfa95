package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.ints;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import org.junit.jupiter.api.Test;

/** Opsets 1..6: the old attribute forms are normalised, or refused where their meaning differs. */
class LegacyOpsetImportTest {
  private static String[] s(String... v) { return v; }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  @Test
  void consumedInputsHintIsSkippedBeforeOpsetSeven() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 2, 3))
        .addNode(node("Relu", s("x"), s("y"), ints("consumed_inputs", 0))).addOutput(f32("y", 2, 3)).build();
    Graph ir = OnnxImporter.importBytes(model(1, g).toByteArray(), ImportOptions.defaults());
    assertEquals("Relu", ir.nodes().get(0).opName());
    // From opset 7 on the attribute is unknown, so it is refused rather than ignored.
    assertThrows(UnsupportedOpException.class, () -> OnnxImporter.importBytes(model(7, g).toByteArray(), ImportOptions.defaults()));
  }

  @Test
  void legacyBroadcastAttributeReshapesB() {
    // Opset 6: B [3] at axis 1 of A [2, 3, 4] lines up with A's axis 1, i.e. NumPy broadcasting of B as [3, 1].
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("a", 2, 3, 4)).addInput(f32("b", 3))
        .addNode(node("Add", s("a", "b"), s("y"), intAttr("broadcast", 1), intAttr("axis", 1)))
        .addOutput(f32("y", 2, 3, 4)).build();
    Graph ir = OnnxImporter.importBytes(model(6, g).toByteArray(), ImportOptions.defaults());
    assertEquals(Shape.of(2, 3, 4), ir.outputs().get(0).type().shape());
    assertTrue(ir.nodes().stream().anyMatch(n -> n.opName().equals("Reshape")
        && n.outputs().get(0).type().shape().equals(Shape.of(3, 1))), ir.toText());
    // broadcast = 0 needs equal shapes.
    GraphProto strict = g.toBuilder().setNode(0, node("Add", s("a", "b"), s("y"), intAttr("broadcast", 0))).build();
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> OnnxImporter.importBytes(model(6, strict).toByteArray(), ImportOptions.defaults()));
    assertTrue(e.getMessage().contains("broadcast = 0 needs A and B of equal shapes"), e.getMessage());
  }

  @Test
  void concatBeforeOpsetFourDefaultsToAxisOne() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("a", 2, 3)).addInput(f32("b", 2, 5))
        .addNode(node("Concat", s("a", "b"), s("y"))).addOutput(f32("y", 2, 8)).build();
    Graph ir = OnnxImporter.importBytes(model(3, g).toByteArray(), ImportOptions.defaults());
    assertEquals(Shape.of(2, 8), ir.outputs().get(0).type().shape());
  }

  @Test
  void preluSixSlopeIsPerChannel() {
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 1, 3, 4, 4))
        .addInitializer(OnnxTensors.toProto("slope", HostTensor.ofFloats(new float[] {0.1f, 0.2f, 0.3f}, 3)))
        .addNode(node("PRelu", s("x", "slope"), s("y"))).addOutput(f32("y", 1, 3, 4, 4)).build();
    Graph ir = OnnxImporter.importBytes(model(6, g).toByteArray(), ImportOptions.defaults());
    Node reshape = ir.nodes().stream().filter(n -> n.opName().equals("Reshape")).findFirst().orElseThrow();
    assertArrayEquals(new long[] {-1, 1, 1}, reshape.attrs().getLongs("shape"));
    assertEquals(Shape.of(1, 3, 4, 4), ir.outputs().get(0).type().shape());
  }

  @Test
  void batchNormTrainingModeBeforeOpsetSevenIsRefused() {
    GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(f32("x", 1, 2, 3));
    for (String p : new String[] {"s", "b", "m", "v"}) g.addInitializer(OnnxTensors.toProto(p, HostTensor.ofFloats(new float[] {1, 1}, 2)));
    g.addNode(node("BatchNormalization", s("x", "s", "b", "m", "v"), s("y"))).addOutput(f32("y", 1, 2, 3));
    assertThrows(UnsupportedOpException.class, () -> OnnxImporter.importBytes(model(6, g.build()).toByteArray(), ImportOptions.defaults()));
    g.setNode(0, node("BatchNormalization", s("x", "s", "b", "m", "v"), s("y"), intAttr("is_test", 1)));
    Graph ir = OnnxImporter.importBytes(model(6, g.build()).toByteArray(), ImportOptions.defaults());
    assertEquals(Shape.of(1, 2, 3), ir.outputs().get(0).type().shape());
  }

  @Test
  void instanceNormalizationIsOneNodeFromOpsetOne() {
    AttributeProto eps = AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(0.01f).build();
    for (int opset : new int[] {1, 6, 21}) {
      GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(f32("x", "batch", 3, 4, 4));
      for (String p : new String[] {"s", "b"}) g.addInitializer(OnnxTensors.toProto(p, HostTensor.ofFloats(new float[] {1, 2, 3}, 3)));
      // InstanceNormalization-1 differs from -6 only by the legacy consumed_inputs hint.
      AttributeProto[] attrs = opset == 1 ? new AttributeProto[] {eps, ints("consumed_inputs", 0, 0, 0)} : new AttributeProto[] {eps};
      g.addNode(node("InstanceNormalization", s("x", "s", "b"), s("y"), attrs)).addOutput(f32("y", "batch", 3, 4, 4));
      Graph ir = OnnxImporter.importBytes(model(opset, g.build()).toByteArray(), ImportOptions.defaults());
      var norms = ir.nodes().stream().filter(n -> n.opName().equals("InstanceNormalization")).toList();
      assertEquals(1, norms.size(), "opset " + opset + ": " + ir.toText());
      assertEquals((double) 0.01f, norms.get(0).attrs().getDouble("epsilon"), "opset " + opset);
      assertEquals(Shape.parse("batch", 3, 4, 4), ir.outputs().get(0).type().shape(), "opset " + opset);
    }
  }
}
