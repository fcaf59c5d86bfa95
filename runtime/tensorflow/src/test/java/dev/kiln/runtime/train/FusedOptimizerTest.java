package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.tf.TfFusedUpdates;
import dev.kiln.runtime.tf.TfLowerer;
import dev.kiln.runtime.tf.TfTrainSession;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.GraphOperation;

/**
 * Fused TF optimizer kernels ({@code ResourceApplyAdam}, {@code ResourceApplyMomentum},
 * {@code ResourceApplyGradientDescent}) against the IR's elementwise update lowered to {@code AssignVariableOp}s:
 * the same train step, data and seed on both give the same variables; the fused graph really holds the
 * kernels; optimizers without an exactly equal kernel keep the generic path; fed the recorded gradients, the
 * fused kernels match torch.optim (fixtures of {@link TorchOptimizerFixturesTest}).
 */
class FusedOptimizerTest {
  static Stream<Arguments> fusable() {
    return Stream.of(
        Arguments.of("adam", Optimizers.adam(0.9, 0.999, 1e-8), "ResourceApplyAdam"),
        Arguments.of("adam_wd", Optimizers.adam(0.8, 0.99, 1e-6, 0.01), "ResourceApplyAdam"),
        Arguments.of("sgd", Optimizers.sgd(), "ResourceApplyGradientDescent"),
        Arguments.of("sgd_wd", Optimizers.sgd(0.1), "ResourceApplyGradientDescent"),
        Arguments.of("momentum", Optimizers.momentum(0.9), "ResourceApplyMomentum"),
        Arguments.of("momentum_wd", Optimizers.momentum(0.9, 0, 0.05), "ResourceApplyMomentum"),
        Arguments.of("nesterov", Optimizers.nesterov(0.9), "ResourceApplyMomentum"),
        Arguments.of("nesterov_wd", Optimizers.nesterov(0.8, 0.05), "ResourceApplyMomentum"));
  }

  /** Small models with the trainer's shapes: an MLP on [batch, 6] and a conv net on [batch, 1, 8, 8]; 3 outputs. */
  static Model model(String kind) {
    if (kind.equals("mlp")) {
      return Model.build("mlp", 7, m -> {
        var x = m.input("x", F32, Dim.symbolic("batch"), 6);
        return m.linear("fc2", m.linear("fc1", x, 16).relu(), 3);
      });
    }
    return Model.build("cnn", 7, m -> {
      Tensor<dev.kiln.dsl.types.F32> x = m.input("x", F32, "batch", 1, 8, 8);
      return x.conv2d("c1", Conv.out(4).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2).flatten().linear("fc", 3);
    });
  }

  static TrainStep step(Model model, Optimizer opt) {
    Graph loss = TrainStep.lossGraph(model.graph(), Losses.mse(Reduction.MEAN), "output", "labels",
        TrainStep.labelType(DType.F32, new long[] {3}), null);
    return TrainStep.compile(loss, opt, null);
  }

  /** Batch {@code k} (of 8 examples) of seeded Gaussian features and targets. */
  static Map<String, HostTensor> feed(Model model, int k, double lr) {
    long[] shape = model.graph().inputs().get(0).type().shape().dims().stream().mapToLong(d -> d.isStatic() ? d.size() : 8).toArray();
    Random r = new Random(100 + k);
    float[] x = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    float[] y = new float[8 * 3];
    for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
    Map<String, HostTensor> f = new LinkedHashMap<>();
    f.put("x", HostTensor.ofFloats(x, shape));
    f.put("labels", HostTensor.ofFloats(y, 8, 3));
    f.put(TrainStep.LR, HostTensor.scalar(DType.F32, lr));
    f.put(TrainStep.STEP, HostTensor.scalar(DType.F32, k + 1));
    return f;
  }

  /** Every variable after {@code steps} steps, with the fused kernels or with the generic assignments. */
  static Map<String, HostTensor> train(Model model, TrainStep s, boolean fused, int steps, double lr) {
    try (TfTrainSession t = TfTrainSession.open(s.graph(), s.assignments(), fused ? s.fusedUpdates() : List.of(),
        model.evalGraph())) {
      for (int k = 0; k < steps; k++) t.step(feed(model, k, lr));
      return t.readVariables();
    }
  }

  // NOTE: tolerance. ResourceApplyGradientDescent and ResourceApplyMomentum without Nesterov compute the same
  // products and differences as the IR rule, so the variables agree bit for bit (measured: 0 difference).
  // ResourceApplyAdam and Nesterov momentum compute the same formulas in another order (TF's Adam:
  // m += (g - m)(1 - b1), lr sqrt(1 - b2^t) / (1 - b1^t) folded into one scalar, epsilon scaled by
  // sqrt(1 - b2^t); Nesterov: g lr + accum mu lr), so they differ by f32 rounding, which later steps carry
  // through the gradients: after 6 steps at most 3.8e-6 absolute (on values ~0.3) and 6.2e-7 on values below
  // 0.01 here; 1e-5 relative + 1e-6 absolute bounds that.
  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("cases")
  void fusedAndGenericUpdatesAgree(String name, Optimizer opt, String kernel, String kind) {
    Model model = model(kind);
    TrainStep s = step(model, opt);
    long trainable = model.graph().parameters().stream().filter(Parameter::trainable).count();
    assertEquals(trainable, s.fusedUpdates().size(), "one fused update per trainable parameter");
    s.fusedUpdates().forEach(u -> assertEquals(kernel, kernelOf(u)));
    double lr = opt instanceof Adam ? 0.01 : 0.05;
    Map<String, HostTensor> fused = train(model, s, true, 6, lr);
    Map<String, HostTensor> generic = train(model, s, false, 6, lr);
    assertEquals(generic.keySet(), fused.keySet());
    Map<String, HostTensor> initial = train(model, s, false, 0, lr);
    for (String v : generic.keySet()) {
      boolean exact = kernel.equals("ResourceApplyGradientDescent") || kernel.equals("ResourceApplyMomentum") && !name.startsWith("nesterov");
      double rtol = exact ? 0 : 1e-5;
      double atol = exact ? 0 : 1e-6;
      assertNull(Close.compare(generic.get(v), fused.get(v), rtol, atol), name + " " + kind + ": variable " + v);
      assertFalse(Arrays.equals(initial.get(v).toFloats(), fused.get(v).toFloats()), v + " was trained");
    }
  }

  /** The TF kernel the TF back end rewrites a neutral fused update into. */
  static String kernelOf(FusedUpdate u) {
    return switch (u.kind()) {
      case SGD -> "ResourceApplyGradientDescent";
      case MOMENTUM, NESTEROV -> "ResourceApplyMomentum";
      case ADAM -> "ResourceApplyAdam";
    };
  }

  static Stream<Arguments> cases() {
    return fusable().flatMap(a -> Stream.of("mlp", "cnn").map(k -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], k)));
  }

  @Test
  void theFusedGraphHoldsResourceApplyAdamAndNoAssignmentOfTheTrainedVariables() {
    Model model = model("cnn");
    TrainStep s = step(model, Optimizers.adam(0.9, 0.999, 1e-8));
    TfLowerer.Lowered l = TfLowerer.lower(s.graph(), s.assignments(), s.fusedUpdates());
    try (org.tensorflow.Graph tf = l.graph()) {
      Set<GraphOperation> reads = l.reads().values().stream().map(o -> (GraphOperation) o.op()).collect(Collectors.toSet());
      List<String> params = model.graph().parameters().stream().filter(Parameter::trainable).map(Parameter::name).toList();
      assertEquals(params.size(), l.assignOps().size());
      Set<String> updated = new HashSet<>();
      for (GraphOperation op : l.assignOps()) {
        assertEquals("ResourceApplyAdam", op.type(), op.name());
        assertTrue(op.controlInputs().containsAll(reads), op.name() + " runs after every read");
        updated.add(op.name().substring(0, op.name().lastIndexOf('/')));
      }
      assertEquals(new HashSet<>(params), updated);
      List<String> assigns = new ArrayList<>();
      tf.operations().forEachRemaining(op -> {
        if (op.type().equals("AssignVariableOp") && !op.name().endsWith("/assign")) assigns.add(op.name());
      });
      assertEquals(List.of(), assigns, "only the initialisers assign");
      // With the kernels off, every parameter and slot is assigned as before.
      TfLowerer.Lowered plain = TfLowerer.lower(s.graph(), s.assignments());
      try (org.tensorflow.Graph g = plain.graph()) {
        assertEquals(3 * params.size(), plain.assignOps().size());
        plain.assignOps().forEach(op -> assertEquals("AssignVariableOp", op.type()));
      }
    }
  }

  @Test
  void optimizersWithoutAnExactKernelKeepTheGenericPath() {
    Model model = model("mlp");
    for (Optimizer opt : List.of(Optimizers.adamw(0.9, 0.999, 1e-8, 0.01), new Adam(0.9, 0.999, 1e-8, 0, 0, 0, true),
        new Adam(0.9, 0.999, 1e-8, 0, 0, 0.1, false), Optimizers.momentum(0.9, 0.3, 0), Optimizers.rmsprop(0.9, 1e-8),
        Optimizers.adagrad(1e-10))) {
      assertEquals(List.of(), step(model, opt).fusedUpdates(), opt.describe());
    }
  }

  @Test
  void theSwitchIsOnUnlessTheSystemPropertyIsFalse() {
    String before = System.getProperty(TfFusedUpdates.PROPERTY);
    try {
      System.clearProperty(TfFusedUpdates.PROPERTY);
      assertTrue(TfFusedUpdates.enabled());
      System.setProperty(TfFusedUpdates.PROPERTY, "false");
      assertFalse(TfFusedUpdates.enabled());
      System.setProperty(TfFusedUpdates.PROPERTY, "true");
      assertTrue(TfFusedUpdates.enabled());
    } finally {
      if (before == null) System.clearProperty(TfFusedUpdates.PROPERTY);
      else System.setProperty(TfFusedUpdates.PROPERTY, before);
    }
  }

  /**
   * The fused kernels fed the fixtures' gradients (the loss sum(p * g) has gradient g) for 5 steps against
   * torch.optim's parameters, with TorchOptimizerFixturesTest's tolerance.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("withTorchFixtures")
  void fusedKernelsMatchTorch(String name, Optimizer opt, String kernel) {
    HostTensor p0 = OrtGraph.fixture("optim_p0");
    float[] grads = OrtGraph.fixture("optim_grads").toFloats();
    float[] expected = OrtGraph.fixture("optim_" + name).toFloats();
    int n = (int) p0.size();
    GraphBuilder b = new GraphBuilder(name);
    Value p = b.parameter("p", p0, true, "fixture");
    Value g = b.input("g", p0.type());
    b.output(TrainStep.LOSS, Ops.reduceSum(b, Ops.mul(b, p, g), new long[0], false));
    TrainStep s = TrainStep.compile(b.build(), opt, null);
    assertEquals(kernel, kernelOf(s.fusedUpdates().get(0)));
    GraphBuilder eb = new GraphBuilder("eval");
    eb.output("p_read", Ops.identity(eb, eb.parameter("p", p0, true, "fixture")));
    try (TfTrainSession t = TfTrainSession.open(s, eb.build())) {
      for (int k = 0; k < 5; k++) {
        t.step(Map.of("g", HostTensor.ofFloats(Arrays.copyOfRange(grads, k * n, (k + 1) * n), n),
            TrainStep.LR, HostTensor.scalar(DType.F32, 0.05), TrainStep.STEP, HostTensor.scalar(DType.F32, k + 1)));
        HostTensor want = HostTensor.ofFloats(Arrays.copyOfRange(expected, k * n, (k + 1) * n), n);
        OrtGraph.assertClose(want, t.readVariables().get("p"), 1e-5, 1e-6, name + " fused, after step " + (k + 1));
      }
    }
  }

  /** The fusable cases make_fixtures.py recorded (it has no momentum with weight decay and no dampening). */
  static Stream<Arguments> withTorchFixtures() { return fusable().filter(a -> !a.get()[0].equals("momentum_wd")); }
}
