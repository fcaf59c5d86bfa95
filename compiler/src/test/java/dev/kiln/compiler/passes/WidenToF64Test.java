package dev.kiln.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

class WidenToF64Test {
  /** x f32 [2], ids i64 [2], w f32 [2]: y = relu(x * w + cast(ids, f32) + 0.1f) + step, with the step input. */
  static Graph graph() {
    GraphBuilder b = new GraphBuilder("widen");
    Value x = b.input("x", TensorType.of(DType.F32, 2));
    Value ids = b.input("ids", TensorType.of(DType.I64, 2));
    Value step = TrainingForm.step(b);
    Value w = b.parameter("w", HostTensor.ofFloats(new float[] {0.1f, -3.25f}, 2), true, "test");
    Value c = Ops.constant(b, HostTensor.ofFloats(new float[] {0.1f}, 1));
    Value y = Ops.add(b, Ops.add(b, Ops.mul(b, x, w), Ops.cast(b, ids, DType.F32)), c);
    b.output("y", Ops.add(b, Ops.relu(b, y), Ops.cast(b, step, DType.F32)));
    b.output("ids_out", Ops.identity(b, ids));
    return b.build();
  }

  @Test
  void everyF32TensorBecomesF64ButTheStepAndNamesStay() {
    Graph g = graph();
    Graph wide = WidenToF64.run(g);
    assertEquals(g.inputs().stream().map(Value::name).toList(), wide.inputs().stream().map(Value::name).toList());
    assertEquals(List.of(DType.F64, DType.I64, DType.F32), wide.inputs().stream().map(v -> v.type().dtype()).toList());
    Parameter w = wide.parameters().get(0);
    assertEquals("w", w.name());
    assertEquals(DType.F64, w.value().type().dtype());
    // Widened exactly: the f64 parameter holds the f32 value, not its decimal (0.1f is not 0.1).
    assertArrayEquals(new double[] {0.1f, -3.25f}, w.initial().toDoubles());
    assertEquals(g.outputs().stream().map(Value::name).toList(), wide.outputs().stream().map(Value::name).toList());
    assertEquals(List.of(DType.F64, DType.I64), wide.outputs().stream().map(v -> v.type().dtype()).toList());
    for (Node n : wide.nodes()) {
      for (Value v : n.outputs()) {
        if (v.type().dtype() == DType.F32) throw new AssertionError("f32 value left: " + v + " of " + n.opName());
      }
      if (n.opName().equals("Constant")) assertEquals(DType.F64, n.attrs().getTensor("value").dtype());
    }
    assertEquals(g.nodes().size(), wide.nodes().size());
    for (int i = 0; i < g.nodes().size(); i++) assertEquals(g.nodes().get(i).location(), wide.nodes().get(i).location());
    Verifier.verify(wide);
  }

  @Test
  void aGraphWithoutF32ComesBackTheSame() {
    Graph wide = WidenToF64.run(graph());
    Graph again = WidenToF64.run(wide);
    assertEquals(wide.toText(), again.toText());
    HostTensor longs = HostTensor.ofLongs(new long[] {1, 2}, 2);
    assertSame(longs, WidenToF64.widen(longs));
  }
}
