package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every op's type-rule cases through the graph builder, as a user's DSL call would. */
class TypeRuleCasesTest {
  @TestFactory
  Stream<DynamicTest> typeRules() {
    return OpRegistry.all().stream().map(OpCases::forOp).filter(Objects::nonNull)
        .flatMap(c -> c.typeCases().stream().map(tc -> DynamicTest.dynamicTest(c.op() + ": " + tc.label(), () -> run(c, tc))));
  }

  private static void run(OpCases c, OpCases.TypeCase tc) {
    GraphBuilder g = new GraphBuilder("t");
    List<Value> in = new ArrayList<>();
    for (int i = 0; i < tc.inputs().size(); i++) {
      TensorType t = tc.inputs().get(i);
      in.add(t == null ? null : g.input("in" + i, t));
    }
    if (tc.expected() != null) {
      List<Value> out = g.apply(c.theOp(), in, tc.attrs());
      assertEquals(tc.expected(), out.stream().map(Value::type).toList());
    } else {
      ShapeException e = assertThrows(ShapeException.class, () -> g.apply(c.theOp(), in, tc.attrs()));
      assertTrue(e.getMessage().contains(tc.errorFragment()),
          "error should mention '" + tc.errorFragment() + "' but was: " + e.getMessage());
      assertTrue(e.getMessage().startsWith(c.op() + ": "), "error should start with the op name: " + e.getMessage());
      assertTrue(e.getMessage().contains("TypeRuleCasesTest.java:"), "error should carry the caller's line: " + e.getMessage());
    }
  }
}
