package dev.kiln.compiler.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.passes.Verifier;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The autodiff driver's structure: which nodes it builds, where, and what it refuses. */
class AutodiffTest {
  private static final DType F = DType.F64;

  /** An op with no gradient rule, standing in for an op whose VJP is not written yet. */
  static class NoRule extends Elementwise {
    @Override public String summary() { return "y = x, without a VJP"; }

    @Override public OnnxLowering onnx() { return Onnx.op("Identity", 1).lowering(); }

    @Override public TfLowering tf() { return TfLowering.op("Identity"); }
  }

  /** An op that declares its input non-differentiable (as a rounding or comparison op would). */
  static final class Stop extends NoRule {
    @Override public dev.kiln.spec.op.Vjp vjp() { return dev.kiln.spec.op.Vjp.NOT_DIFFERENTIABLE; }
  }

  private static Value param(GraphBuilder g, String name, long... shape) {
    return g.parameter(name, HostTensor.filled(F, shape, 0.5), true, "test");
  }

  private static Value sum(GraphBuilder g, Value v) {
    return Ops.reduceSum(g, v, new long[0], false);
  }

  private static Node producer(Graph g, String valueName) {
    for (Node n : g.nodes()) for (Value o : n.outputs()) if (o.name().equals(valueName)) return n;
    throw new AssertionError("no node makes " + valueName + " in\n" + g.toText());
  }

  /** The node computing a gradient output, looking through the output's Identity. */
  private static Node gradNode(Graph g, String outputName) {
    Node id = producer(g, outputName);
    return producer(g, id.input(0).name());
  }

  @Test
  void missingRulesAreAllListedWithTheirLines() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2, 3));
    Value w = param(g, "w", 3, 3);
    NoRule op = new NoRule();
    Value a = g.applyNamed(op, List.of(Ops.matMul(g, x, w)), Attrs.EMPTY, "first").get(0);
    Value b = g.applyNamed(op, List.of(a), Attrs.EMPTY, "second").get(0);
    g.applyNamed(op, List.of(x), Attrs.EMPTY, "offpath");
    Value loss = sum(g, b);
    g.output(loss);
    Graph fwd = g.build();
    KilnException e = assertThrows(KilnException.class, () -> Autodiff.gradients(fwd, loss));
    String m = e.getMessage();
    assertTrue(m.contains("no gradient rule (VJP) for 2 nodes"), m);
    assertTrue(m.contains("NoRule at node 'first' (dev.kiln.compiler.autodiff.AutodiffTest.missingRulesAreAllListedWithTheirLines(AutodiffTest.java:"), m);
    assertTrue(m.contains("NoRule at node 'second'"), m);
    assertFalse(m.contains("offpath"), "a node off the path from targets to loss is not listed: " + m);
  }

  @Test
  void backwardNodesCarryTheForwardLineMarkedBackward() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2, 3));
    Value w = param(g, "w", 3, 4);
    Value y = g.scoped("fc", () -> Ops.matMul(g, x, w));
    Value loss = sum(g, y);
    g.output(loss);
    Graph grads = Autodiff.gradients(g.build(), loss);
    Node mm = producer(grads, y.name());
    assertFalse(mm.location().backward());
    List<Node> transposes = grads.nodes().stream().filter(n -> n.opName().equals("Transpose")).toList();
    assertFalse(transposes.isEmpty(), grads.toText());
    for (Node t : transposes) {
      assertTrue(t.location().backward());
      assertEquals(mm.location().line(), t.location().line());
      assertEquals(List.of("fc", "grad"), t.scope());
    }
    assertTrue(grads.toTextWithLocations().contains("AutodiffTest.java:" + mm.location().line() + ") (backward)"),
        grads.toTextWithLocations());
    Verifier.verify(grads);
  }

  @Test
  void broadcastGradientsAreSummedBackToTheInputShape() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2, 3));
    Value bias = param(g, "bias", 3);
    Value col = param(g, "col", 2, 1);
    Value y = Ops.add(g, Ops.add(g, x, bias), col);
    Value loss = sum(g, y);
    g.output(loss);
    Graph grads = Autodiff.gradients(g.build(), loss);
    Node rb = gradNode(grads, "grad/bias");
    assertEquals("ReduceSum", rb.opName());
    assertArrayEquals(new long[] {0}, rb.attrs().getLongs("axes"));
    assertFalse(rb.attrs().getBool("keepdims"));
    Node rc = gradNode(grads, "grad/col");
    assertEquals("ReduceSum", rc.opName());
    assertArrayEquals(new long[] {1}, rc.attrs().getLongs("axes"));
    assertTrue(rc.attrs().getBool("keepdims"));
    assertEquals(TensorType.of(F, 2, 1), grads.outputs().get(2).type());
  }

  @Test
  void fanInIsSummedAndUnrelatedNodesAreSkipped() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 3));
    Value w = param(g, "w", 3);
    Value frozen = g.parameter("frozen", HostTensor.filled(F, new long[] {3}, 1), false, "test");
    Ops.relu(g, w); // reaches no output: dead
    Value other = Ops.relu(g, Ops.add(g, x, frozen)); // no target behind it
    Value y = Ops.add(g, Ops.add(g, w, w), other);
    Value loss = sum(g, y);
    g.output(loss);
    Graph grads = Autodiff.gradients(g.build(), loss);
    assertEquals(List.of("reducesum", "grad/w"), grads.outputs().stream().map(Value::name).toList());
    assertTrue(grads.nodes().stream().noneMatch(n -> n.opName().equals("ReluGrad")), grads.toText());
    Node acc = gradNode(grads, "grad/w");
    assertEquals("Add", acc.opName(), "w is used twice: its two gradients are added\n" + grads.toText());
    assertTrue(acc.location().backward());
  }

  @Test
  void targetsTheLossDoesNotReachGetZeros() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2));
    Value unused = g.input("unused", TensorType.of(F, 2));
    Value loss = sum(g, Ops.relu(g, x));
    g.output(loss);
    Graph fwd = g.build();
    Graph grads = Autodiff.gradients(fwd, loss, List.of(x, unused), false);
    Node z = gradNode(grads, "grad/unused");
    assertEquals("Constant", z.opName());
    assertEquals(HostTensor.filled(F, new long[] {2}, 0), z.attrs().getTensor("value"));
  }

  @Test
  void zeroGradientsOfSymbolicShapeBroadcastAZero() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2));
    Value unused = g.input("unused", new TensorType(F, dev.kiln.spec.Shape.parse("batch", 2)));
    Value loss = sum(g, x);
    g.output(loss);
    Graph fwd = g.build();
    Graph grads = Autodiff.gradients(fwd, loss, List.of(x, unused), false);
    Node z = gradNode(grads, "grad/unused");
    assertEquals("BroadcastLike", z.opName());
    assertEquals(unused.type(), z.output().type());
  }

  @Test
  void nonDifferentiableInputsGetNoGradient() {
    GraphBuilder g = new GraphBuilder("m");
    Value w = param(g, "w", 2);
    Value stopped = g.applyNamed(new Stop(), List.of(w), Attrs.EMPTY, "stopped").get(0);
    Value loss = sum(g, Ops.add(g, Ops.relu(g, w), stopped));
    g.output(loss);
    Graph grads = Autodiff.gradients(g.build(), loss);
    // Only the Relu path contributes: no Add of two gradients, and the result is ReluGrad's.
    assertEquals("ReluGrad", gradNode(grads, "grad/w").opName(), grads.toText());
  }

  @Test
  void gradientGraphsCanBeDifferentiatedAgain() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2, 3));
    Value w = param(g, "w", 3, 2);
    Value loss = sum(g, Ops.relu(g, Ops.matMul(g, x, w)));
    g.output(loss);
    Graph first = Autodiff.gradients(g.build(), loss, List.of(g.build().input("x")), false);
    // Differentiate sum(grad/x) with respect to x, in the gradient graph itself.
    GraphCopy.Copied c = GraphCopy.of(first, "second");
    Value l2 = sum(c.builder(), c.get(first.outputs().get(1)));
    c.builder().output(l2);
    Graph withL2 = c.builder().build();
    Graph second = Autodiff.gradients(withL2, l2, List.of(withL2.input("x")), false);
    assertEquals("grad2/x", second.outputs().get(1).name());
    Verifier.verify(second);
  }

  @Test
  void refusesBadLossesAndTargets() {
    GraphBuilder g = new GraphBuilder("m");
    Value x = g.input("x", TensorType.of(F, 2));
    Value y = Ops.relu(g, x);
    g.output(y);
    Graph fwd = g.build();
    assertTrue(assertThrows(KilnException.class, () -> Autodiff.gradients(fwd, y, List.of(x), false))
        .getMessage().contains("must be a floating-point scalar"));
    GraphBuilder g2 = new GraphBuilder("other");
    Value foreign = g2.input("z", TensorType.of(F));
    assertTrue(assertThrows(KilnException.class, () -> Autodiff.gradients(fwd, foreign, List.of(x), false))
        .getMessage().contains("is not a value of graph m"));
    GraphBuilder g3 = new GraphBuilder("m3");
    Value x3 = g3.input("x", TensorType.of(F, 2));
    Value i3 = g3.input("i", TensorType.of(DType.I64, 2));
    Value l3 = sum(g3, x3);
    g3.output(l3);
    Graph f3 = g3.build();
    assertTrue(assertThrows(KilnException.class, () -> Autodiff.gradients(f3, l3, List.of(i3), false))
        .getMessage().contains("only floating-point values have gradients"));
  }
}
