package dev.kiln.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadCodeAndVerifierTest {
  private static final TensorType F2 = TensorType.of(DType.F32, 2);

  @Test
  void deadCodeEliminationDropsUnusedNodesAndParametersButKeepsInputs() {
    GraphBuilder b = new GraphBuilder("dce");
    Value x = b.input("x", F2);
    b.input("unused_input", F2);
    Value w = b.parameter("w", HostTensor.ofFloats(new float[] {1, 2}, 2), true, "test");
    Value p = b.parameter("p", HostTensor.ofFloats(new float[] {3, 4}, 2), true, "test");
    Ops.relu(b, x);
    Ops.add(b, x, p);
    Value y = Ops.add(b, x, w);
    b.output(y);
    Graph g = DeadCodeElimination.run(b.build());
    Verifier.verify(g);
    assertEquals(List.of("x", "unused_input"), g.inputs().stream().map(Value::name).toList());
    assertEquals(List.of("w"), g.parameters().stream().map(Parameter::name).toList());
    assertEquals(1, g.nodes().size());
    assertEquals(y, g.nodes().get(0).output());
  }

  @Test
  void verifierRejectsADuplicateName() {
    Value x1 = new GraphBuilder("a").input("x", F2);
    Value x2 = new GraphBuilder("b").input("x", F2);
    Graph bad = new Graph("dup", List.of(x1, x2), List.of(), List.of(), List.of(x1), Map.of());
    KilnException e = assertThrows(KilnException.class, () -> Verifier.verify(bad));
    assertTrue(e.getMessage().contains("name 'x' is defined twice"), e.getMessage());
  }

  @Test
  void verifierRejectsUseBeforeDefine() {
    GraphBuilder b = new GraphBuilder("order");
    Value x = b.input("x", F2);
    Value r1 = Ops.relu(b, x);
    Value r2 = Ops.relu(b, r1);
    b.output(r2);
    Graph ok = b.build();
    Verifier.verify(ok);
    List<Node> reversed = List.of(ok.nodes().get(1), ok.nodes().get(0));
    Graph bad = new Graph("order", ok.inputs(), List.of(), reversed, ok.outputs(), Map.of());
    KilnException e = assertThrows(KilnException.class, () -> Verifier.verify(bad));
    assertTrue(e.getMessage().contains("uses '" + r1.name() + "' before it is defined"), e.getMessage());
  }

  @Test
  void verifierRejectsAnUndefinedOutput() {
    Value x = new GraphBuilder("a").input("x", F2);
    Value stray = new GraphBuilder("b").input("stray", F2);
    Graph bad = new Graph("out", List.of(x), List.of(), List.of(), List.of(stray), Map.of());
    KilnException e = assertThrows(KilnException.class, () -> Verifier.verify(bad));
    assertTrue(e.getMessage().contains("output 'stray' is not defined"), e.getMessage());
  }
}
