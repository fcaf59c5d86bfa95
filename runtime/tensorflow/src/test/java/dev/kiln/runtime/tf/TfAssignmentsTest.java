package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * Assignments lowered as {@code AssignVariableOp}s: they run after every variable read of the step (so
 * outputs computed in the same run see the old values), and an evaluation graph lowered beside them
 * reads the same variables.
 */
class TfAssignmentsTest {
  private static Value next;

  /** p [2] and q [2]; outputs: the old p (Identity), then p + q, then q + q; assignments p ← p + q, q ← q + q. */
  private static Graph step() {
    GraphBuilder b = new GraphBuilder("assign_probe");
    Value x = b.input("x", TensorType.of(DType.F32, 2));
    Value p = b.parameter("p", HostTensor.ofFloats(new float[] {1, 2}, 2), true, "given");
    Value q = b.parameter("q", HostTensor.ofFloats(new float[] {10, 20}, 2), false, "given");
    b.output("old_p", Ops.add(b, Ops.identity(b, p), x));
    b.output("new_p", Ops.add(b, p, q));
    next = b.output("new_q", Ops.add(b, q, q));
    return b.build();
  }

  @Test
  void assignmentsRunAfterEveryReadAndTheEvalGraphSharesTheVariables() {
    Graph g = step();
    Map<Value, String> assign = Map.of(g.outputs().get(1), "p", g.outputs().get(2), "q");
    GraphBuilder eb = new GraphBuilder("eval_probe");
    Value p = eb.parameter("p", HostTensor.ofFloats(new float[] {0, 0}, 2), true, "given");
    eb.output("p_read", Ops.identity(eb, p));
    try (TfTrainSession s = TfTrainSession.open(g, assign, eb.build())) {
      HostTensor zero = HostTensor.ofFloats(new float[] {0, 0}, 2);
      float[] expectP = {1, 2};
      float[] expectQ = {10, 20};
      for (int k = 0; k < 3; k++) {
        // The first output is the loss slot of a train step: here the old p.
        double first = s.step(Map.of("x", zero));
        assertEquals(expectP[0], first, 0.0, "step " + k + " read p before its assignment");
        for (int i = 0; i < 2; i++) {
          expectP[i] += expectQ[i];
          expectQ[i] *= 2;
        }
        Map<String, HostTensor> v = s.readVariables();
        assertArrayEquals(expectP, v.get("p").toFloats());
        assertArrayEquals(expectQ, v.get("q").toFloats());
        assertArrayEquals(expectP, s.evaluate(Map.of(), List.of("p_read")).get("p_read").toFloats(), "eval sees the trained p");
      }
      s.writeVariables(Map.of("p", HostTensor.ofFloats(new float[] {7, 8}, 2)));
      assertArrayEquals(new float[] {7, 8}, s.evaluate(Map.of(), List.of("p_read")).get("p_read").toFloats());
      assertThrows(KilnException.class, () -> s.writeVariables(Map.of("p", HostTensor.ofFloats(new float[] {1, 2, 3}, 3))));
    }
  }

  @Test
  void everyAssignmentDependsOnEveryRead() {
    Graph g = step();
    TfLowerer.Lowered l = TfLowerer.lower(g, Map.of(g.outputs().get(1), "p", next, "q"));
    try (org.tensorflow.Graph tf = l.graph()) {
      Set<GraphOperation> reads = l.reads().values().stream().map(o -> (GraphOperation) o.op()).collect(Collectors.toSet());
      assertEquals(2, l.assignOps().size());
      for (GraphOperation a : l.assignOps()) {
        assertEquals("AssignVariableOp", a.type());
        assertTrue(a.controlInputs().containsAll(reads), a.name() + " runs after " + a.controlInputs());
      }
    }
  }
}
