package dev.kiln.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The gradient of every op with a VJP, checked against finite differences in f64 on each valid
 * type-rule case of its harness entry (symbolic dims become 3): first order always, second order for
 * ops whose harness marks them {@link OpCases#smooth() smooth}. The loss is sum(y · r) for a fixed
 * random r, so every output element matters.
 */
class OpGradientCheckTest {
  @TestFactory
  Stream<DynamicTest> firstOrder() {
    return cases().map(c -> DynamicTest.dynamicTest(c.label, () -> {
      assertNull(c.f32 ? GradientChecker.check(c.graph, c.loss, c.feed, F32_EPS, F32_RTOL, F32_ATOL)
          : GradientChecker.check(c.graph, c.loss, c.feed), c.label);
    }));
  }

  @TestFactory
  Stream<DynamicTest> secondOrder() {
    return cases().filter(c -> c.smooth).map(c -> DynamicTest.dynamicTest(c.label, () -> {
      assertNull(GradientChecker.checkSecondOrder(c.graph, c.loss, c.feed, c.label.hashCode() * 31L), c.label);
    }));
  }

  /** The checker must not run vacuously: the ops on this branch with VJPs yield cases. */
  @Test
  void findsCases() {
    assertTrue(cases().anyMatch(c -> c.label.startsWith("MatMul")), "no MatMul gradient case found");
    assertTrue(cases().anyMatch(c -> c.smooth), "no smooth op found");
  }

  /** One op application to check: the forward graph with its loss, and the inputs to feed. */
  record Case(String label, Graph graph, Value loss, Map<String, HostTensor> feed, boolean smooth, boolean f32) {}

  /**
   * Step and tolerances of cases run in f32 because ONNX Runtime has no f64 kernel for the op (Conv,
   * AveragePool, ConvTranspose...). NOTE: these ops are (piecewise) linear, so central differences are
   * exact up to f32 rounding of the loss, about 1e-6 relative, amplified by 1 / step.
   */
  static final double F32_EPS = 1e-2;
  static final double F32_RTOL = 2e-3;
  static final double F32_ATOL = 1e-3;

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Op op : OpRegistry.all()) {
      Vjp rule = op.vjp();
      if ((rule == null && !op.isComposite()) || rule == Vjp.NOT_DIFFERENTIABLE) continue;  // composites: via decomposition
      OpCases cases = OpCases.forOp(op);
      if (cases == null) continue;
      for (OpCases.TypeCase tc : cases.typeCases()) {
        if (tc.expected() == null) continue;
        Case c = build(op, cases, tc, DType.F64);
        if (c != null && !runsOnOrt(c)) c = build(op, cases, tc, DType.F32);
        if (c != null) out.add(c);
      }
    }
    return out.stream();
  }

  /** The case in f64 with static shapes, or null when it has non-floating inputs or outputs. */
  private static Case build(Op op, OpCases cases, OpCases.TypeCase tc, DType dtype) {
    if (tc.inputs().isEmpty()) return null;
    for (TensorType t : tc.inputs()) if (t == null || !t.dtype().isFloating()) return null;
    for (TensorType t : tc.expected()) if (!t.dtype().isFloating()) return null;
    String label = op.name() + ": " + tc.label();
    Random rnd = new Random(label.hashCode());
    GraphBuilder g = new GraphBuilder("grad_" + label.replaceAll("[^A-Za-z0-9_]", "_"));
    List<Value> in = new ArrayList<>();
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    double[] range = cases.gradientInputRange();
    for (int i = 0; i < tc.inputs().size(); i++) {
      Value v = g.input("in" + i, staticOf(tc.inputs().get(i), dtype));
      in.add(v);
      feed.put(v.name(), GradientChecker.randomLike(v, rnd, range[0], range[1]));
    }
    List<Value> ys = g.apply(op, in, tc.attrs());
    Value loss = null;
    for (Value y : ys) {
      if (y.type().dtype() != dtype) return null;
      Value term = GradientChecker.dot(g, y, GradientChecker.randomLike(y, rnd, -1, 1));
      loss = loss == null ? term : Ops.add(g, loss, term);
    }
    Value l = g.output("loss", loss);
    return new Case(label, g.build(), l, feed, cases.smooth() && dtype == DType.F64, dtype == DType.F32);
  }

  /** Whether ONNX Runtime has kernels for the case's forward graph (some ops lack f64 ones). */
  private static boolean runsOnOrt(Case c) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(c.graph).toByteArray())) {
      return true;
    } catch (ModelFileException e) {
      if (e.getMessage() != null && e.getMessage().contains("NOT_IMPLEMENTED")) return false;
      throw e;
    }
  }

  private static TensorType staticOf(TensorType t, DType dtype) {
    List<Dim> dims = new ArrayList<>();
    for (Dim d : t.shape().dims()) dims.add(d.isStatic() ? d : Dim.of(3));
    return new TensorType(dtype, Shape.of(dims));
  }
}
