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
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.op.Subgraphs;
import org.junit.jupiter.api.Test;

/** Importing If / Loop / Scan: outer-scope references, validation errors naming node, op and opset, hostile nesting. */
class ControlFlowImportTest {
  static ValueInfoProto typed(String name, int elemType, long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
  }

  static AttributeProto graph(String name, GraphProto g) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
  }

  /** A branch giving op(x) of the enclosing graph's input {@code x}: an outer-scope reference. */
  static GraphProto branch(String name, String op) {
    return GraphProto.newBuilder().setName(name)
        .addNode(node(op, new String[] {"x"}, new String[] {name + "_y"}))
        .addOutput(ValueInfoProto.newBuilder().setName(name + "_y")).build();
  }

  static ModelProto ifModel(GraphProto then, GraphProto other) {
    GraphProto g = GraphProto.newBuilder().setName("m")
        .addInput(typed("c", 9)).addInput(f32("x", 2, 3))
        .addNode(node("If", new String[] {"c"}, new String[] {"y"}, graph("then_branch", then), graph("else_branch", other)))
        .addOutput(f32("y", 2, 3)).build();
    return model(13, g);
  }

  @Test
  void outerScopeReferencesBecomeCapturedInputs() {
    Graph g = OnnxImporter.importModel(ifModel(branch("t", "Relu"), branch("e", "Neg")), null, ImportOptions.defaults());
    String text = g.toText();
    assertTrue(text.contains("= If{else_branch=<graph y/else_branch>, then_branch=<graph y/then_branch>}(c, x)"), text);
    assertTrue(text.contains("graph y/then_branch(x: f32[2, 3])"), text);
    assertTrue(text.contains("= Relu(x)"), text);
    assertTrue(text.contains("graph y/else_branch(x: f32[2, 3])"), text);
  }

  @Test
  void aConstantConditionImportsTheTakenBranchOnly() {
    ModelProto m = ifModel(branch("t", "Relu"), branch("e", "Neg"));
    GraphProto g = m.getGraph().toBuilder().removeInput(0)
        .addInitializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("c").setDataType(9).addInt32Data(0)).build();
    String text = OnnxImporter.importModel(m.toBuilder().setGraph(g).build(), null, ImportOptions.defaults()).toText();
    assertFalse(text.contains("If"), text);
    assertTrue(text.contains("= Neg(x)"), text);
  }

  @Test
  void branchesOfDifferentTypesAreRefusedNamingTheNode() {
    GraphProto ints = GraphProto.newBuilder().setName("e")
        .addNode(node("Cast", new String[] {"x"}, new String[] {"e_y"}, AttributeProto.newBuilder().setName("to")
            .setType(AttributeProto.AttributeType.INT).setI(7).build()))
        .addOutput(ValueInfoProto.newBuilder().setName("e_y")).build();
    KilnException e = assertThrows(KilnException.class,
        () -> OnnxImporter.importModel(ifModel(branch("t", "Relu"), ints), null, ImportOptions.defaults()));
    assertEquals("node 'y_node' (If, opset 13): If: output 0: then_branch gives f32[2, 3], else_branch i64[2, 3]"
        + " (dtype and rank must agree)", e.getMessage());
  }

  @Test
  void aLoopBodyWithTheWrongInputCountIsRefused() {
    GraphProto body = GraphProto.newBuilder().setName("body")
        .addInput(typed("i", 7)).addInput(typed("cond", 9))
        .addNode(node("Identity", new String[] {"cond"}, new String[] {"cond_out"}))
        .addOutput(ValueInfoProto.newBuilder().setName("cond_out")).build();
    GraphProto g = GraphProto.newBuilder().setName("m").addInput(typed("n", 7)).addInput(f32("x", 2))
        .addNode(node("Loop", new String[] {"n", "", "x"}, new String[] {"y"}, graph("body", body)))
        .addOutput(f32("y", 2)).build();
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> OnnxImporter.importModel(model(13, g), null, ImportOptions.defaults()));
    assertEquals("node 'y_node' (Loop, opset 13): body declares 2 inputs; the node gives it 3", e.getMessage());
  }

  @Test
  void aLoopCarryingAValueOfAnotherShapeIsRefused() {
    GraphProto body = GraphProto.newBuilder().setName("body")
        .addInput(typed("i", 7)).addInput(typed("cond", 9)).addInput(typed("v", 1))
        .addNode(node("Identity", new String[] {"cond"}, new String[] {"cond_out"}))
        .addNode(node("Concat", new String[] {"v", "v"}, new String[] {"v_out"}, AttributeProto.newBuilder().setName("axis")
            .setType(AttributeProto.AttributeType.INT).setI(0).build()))
        .addOutput(ValueInfoProto.newBuilder().setName("cond_out")).addOutput(ValueInfoProto.newBuilder().setName("v_out")).build();
    GraphProto g = GraphProto.newBuilder().setName("m").addInput(typed("n", 7)).addInput(f32("x", 2))
        .addNode(node("Loop", new String[] {"n", "", "x"}, new String[] {"y"}, graph("body", body)))
        .addOutput(f32("y", 2)).build();
    KilnException e = assertThrows(KilnException.class, () -> OnnxImporter.importModel(model(13, g), null, ImportOptions.defaults()));
    assertEquals("node 'y_node' (Loop, opset 13): Loop: carried value 0 is f32[2] initially and f32[4] after the body"
        + " (loop-carried types must stay the same)", e.getMessage());
  }

  /** If nested {@code depth} levels: each then-branch holds the next If, the innermost gives Relu(x). */
  static ModelProto nested(int depth) {
    GraphProto inner = branch("leaf", "Relu");
    for (int d = depth - 1; d >= 0; d--) {
      String out = "y" + d;
      GraphProto.Builder b = GraphProto.newBuilder().setName("g" + d)
          .addNode(node("If", new String[] {"c"}, new String[] {out}, graph("then_branch", inner), graph("else_branch", branch("e" + d, "Neg"))));
      inner = b.addOutput(ValueInfoProto.newBuilder().setName(out)).build();
    }
    GraphProto g = inner.toBuilder().setName("m").addInput(typed("c", 9)).addInput(f32("x", 2, 3))
        .setOutput(0, f32("y0", 2, 3)).build();
    return model(13, g);
  }

  @Test
  void nestingWithinTheLimitImports() {
    Graph g = OnnxImporter.importModel(nested(Subgraphs.MAX_NESTING), null, ImportOptions.defaults());
    assertTrue(g.toText().contains("graph y" + (Subgraphs.MAX_NESTING - 1) + "/then_branch"), "innermost branch printed");
  }

  @Test
  void deeperNestingIsRefusedBeforeImport() {
    ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(
        OnnxImporter.parse(nested(Subgraphs.MAX_NESTING + 2).toByteArray(), "deep.onnx"), null, ImportOptions.defaults()));
    assertTrue(e.getMessage().contains("(If, opset 13): subgraphs nest deeper than 16 levels; Kiln refuses such a model"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void hostileNestingIsRefusedByTheParserWithoutAStackOverflow() {
    byte[] bytes = nested(200).toByteArray();
    ModelFileException e = assertThrows(ModelFileException.class, () -> OnnxImporter.parse(bytes, "hostile.onnx"));
    assertTrue(e.getMessage().startsWith("hostile.onnx: not an ONNX model"), e.getMessage());
  }
}
