package dev.kiln.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantFoldingTest {
  private static Value constant(GraphBuilder b, HostTensor t) { return Ops.constant(b, t); }

  @Test
  void foldsAChainOfAddsIntoOneConstantKeepingTheOutputName() {
    GraphBuilder b = new GraphBuilder("chain");
    Value c1 = constant(b, HostTensor.ofFloats(new float[] {1, 2}, 2));
    Value c2 = constant(b, HostTensor.ofFloats(new float[] {10, 20}, 2));
    Value c3 = constant(b, HostTensor.ofFloats(new float[] {100}));
    Value s = Ops.add(b, Ops.add(b, c1, c2), c3);
    Value y = b.output("y", s);
    Graph g = b.build();

    Graph folded = DeadCodeElimination.run(ConstantFolding.run(g));
    Verifier.verify(folded);
    assertEquals(1, folded.nodes().size(), folded.toText());
    Node only = folded.nodes().get(0);
    assertEquals("Constant", only.opName());
    assertSame(y, only.output(), "the graph output keeps its value, so its name and type");
    assertEquals("y", folded.outputs().get(0).name());
    assertEquals(TensorType.of(DType.F32, 2), folded.outputs().get(0).type());
    assertArrayEquals(new float[] {111, 122}, only.attrs().getTensor("value").toFloats());
  }

  @Test
  void intermediateNamesAndTypesAreKept() {
    GraphBuilder b = new GraphBuilder("names");
    Value c1 = constant(b, HostTensor.ofLongs(new long[] {1, 2, 3}, 3));
    Value c2 = constant(b, HostTensor.ofLongs(new long[] {4}, 1));
    Value sum = Ops.add(b, c1, c2);
    b.output(sum);
    Graph folded = ConstantFolding.run(b.build());
    Verifier.verify(folded);
    Node last = folded.nodes().get(folded.nodes().size() - 1);
    assertEquals("Constant", last.opName());
    assertEquals("add", last.output().name());
    assertEquals(TensorType.of(DType.I64, 3), last.output().type());
    assertArrayEquals(new long[] {5, 6, 7}, last.attrs().getTensor("value").toLongs());
  }

  @Test
  void aNodeWithANonConstantInputIsUntouched() {
    GraphBuilder b = new GraphBuilder("mixed");
    Value x = b.input("x", TensorType.of(DType.F32, 2));
    Value c = constant(b, HostTensor.ofFloats(new float[] {1, 2}, 2));
    Value s = Ops.add(b, x, c);
    b.output(s);
    Graph g = b.build();
    Graph folded = Passes.forExport(g);
    Verifier.verify(folded);
    assertEquals(g.nodes(), folded.nodes());
    assertEquals(g.toText(), folded.toText());
  }

  @Test
  void aResultOverTheSizeLimitIsNotFolded() {
    GraphBuilder b = new GraphBuilder("big");
    Value col = constant(b, HostTensor.filled(DType.F32, new long[] {1000, 1}, 1));
    Value row = constant(b, HostTensor.filled(DType.F32, new long[] {1, 1001}, 2));
    b.output(Ops.add(b, col, row)); // 1,001,000 elements
    Graph g = b.build();
    Graph folded = ConstantFolding.run(g);
    assertEquals("Add", folded.nodes().get(2).opName());
    assertSame(g, folded, "nothing to fold returns the same graph");
  }

  @Test
  void aResultAtTheSizeLimitIsFolded() {
    GraphBuilder b = new GraphBuilder("limit");
    Value col = constant(b, HostTensor.filled(DType.F32, new long[] {1000, 1}, 1));
    Value row = constant(b, HostTensor.filled(DType.F32, new long[] {1, 1000}, 2));
    b.output(Ops.add(b, col, row));
    Graph folded = DeadCodeElimination.run(ConstantFolding.run(b.build()));
    HostTensor v = folded.nodes().get(0).attrs().getTensor("value");
    assertEquals(ConstantFolding.MAX_FOLDED_ELEMENTS, v.size());
    assertEquals(3.0, v.getDouble(123_456));
  }

  @Test
  void opsWithoutAFolderStay() {
    GraphBuilder b = new GraphBuilder("relu");
    Value c = constant(b, HostTensor.ofFloats(new float[] {-1, 2}, 2));
    b.output(Ops.relu(b, c));
    Graph g = b.build();
    assertEquals(List.of("Constant", "Relu"), ConstantFolding.run(g).nodes().stream().map(Node::opName).toList());
  }

  @Test
  void symbolicShapesFlowOnToConstants() {
    // Gather(Shape(x), 1) of an f32[batch, 64] x is 64: Shape folds to [batch, 64] (a symbolic value, so its
    // node stays until DCE finds it unused), Gather to the constant.
    GraphBuilder b = new GraphBuilder("sym");
    Value x = b.input("x", new TensorType(DType.F32, dev.kiln.spec.Shape.parse("batch", 64)));
    Value shape = Ops.shape(b, x);
    Value one = constant(b, HostTensor.ofLongs(new long[] {1}));
    Value d = Ops.gather(b, shape, one);
    b.output("d", d);
    Graph folded = DeadCodeElimination.run(ConstantFolding.run(b.build()));
    Verifier.verify(folded);
    assertEquals(List.of("Constant"), folded.nodes().stream().map(Node::opName).toList(), folded.toText());
    assertEquals(64, folded.nodes().get(0).attrs().getTensor("value").getLong(0));
  }

  @Test
  void aSymbolicEntryStaysAtRunTime() {
    GraphBuilder b = new GraphBuilder("batch");
    Value x = b.input("x", new TensorType(DType.F32, dev.kiln.spec.Shape.parse("batch", 64)));
    Value shape = Ops.shape(b, x);
    b.output("n", Ops.gather(b, shape, constant(b, HostTensor.ofLongs(new long[] {0}))));
    Graph g = b.build();
    assertSame(g, ConstantFolding.run(g), "the batch is known only at run time");
  }
}
