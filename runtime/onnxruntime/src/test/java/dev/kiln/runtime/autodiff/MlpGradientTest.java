package dev.kiln.runtime.autodiff;

import static dev.kiln.dsl.DTypes.F64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A two-layer MLP written in the DSL (MatMul, Add, Relu) with loss = sum of its outputs: the gradient
 * of every parameter, from the autodiff graph run in ONNX Runtime, matches central finite differences
 * of the loss, taken by re-exporting the model with one parameter element moved by ±eps.
 */
class MlpGradientTest {
  private static final double EPS = 1e-6;

  @Test
  void parameterGradientsMatchFiniteDifferences() {
    Model model = Model.build("mlp", 7, m -> {
      Tensor<dev.kiln.dsl.types.F64> x = m.input("x", F64, "batch", 4);
      Tensor<dev.kiln.dsl.types.F64> y = m.linear("fc2", m.linear("fc1", x, 6).relu(), 3);
      m.output("logits", y);
      return y.sum(false);
    });
    Graph g = withRandomBiases(model.graph(), new Random(3));
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    HostTensor x = randomTensor(new long[] {5, 4}, new Random(11));
    Map<String, HostTensor> feed = Map.of("x", x);

    Graph grads = Autodiff.gradients(g, loss, g.parameters().stream().map(Parameter::value).toList(), true);
    assertEquals(List.of("output", "grad/fc1.weight", "grad/fc1.bias", "grad/fc2.weight", "grad/fc2.bias", "logits"),
        grads.outputs().stream().map(Value::name).toList());
    Map<String, HostTensor> got = run(grads, feed);
    double l0 = got.get("output").getDouble(0);
    assertEquals(l0, run(g, feed).get("output").getDouble(0), 1e-12, "the gradient graph computes the same loss");

    int checked = 0;
    for (int p = 0; p < g.parameters().size(); p++) {
      Parameter param = g.parameters().get(p);
      HostTensor an = got.get("grad/" + param.name());
      for (int i = 0; i < param.initial().size(); i++) {
        double fd = (lossWith(g, p, i, EPS, feed) - lossWith(g, p, i, -EPS, feed)) / (2 * EPS);
        double a = an.getDouble(i);
        assertTrue(Math.abs(a - fd) <= 1e-7 * Math.max(1, Math.abs(l0)) + 1e-5 * Math.abs(fd),
            "d loss / d " + param.name() + "[" + i + "]: autodiff " + a + ", finite differences " + fd);
        checked++;
      }
    }
    assertEquals(4 * 6 + 6 + 6 * 3 + 3, checked);
  }

  /** Zero biases make some gradients trivially equal; random ones exercise every path. */
  private static Graph withRandomBiases(Graph g, Random rnd) {
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) {
      ps.add(p.name().endsWith("bias") ? p.withInitial(randomTensor(p.initial().shape(), rnd)) : p);
    }
    return g.with(ps, g.nodes(), g.outputs());
  }

  private static double lossWith(Graph g, int param, int element, double delta, Map<String, HostTensor> feed) {
    List<Parameter> ps = new ArrayList<>(g.parameters());
    HostTensor v = ps.get(param).initial();
    double[] d = v.toDoubles();
    d[element] += delta;
    ps.set(param, ps.get(param).withInitial(HostTensor.fromDoubles(DType.F64, d, v.shape())));
    return run(g.with(ps, g.nodes(), g.outputs()), feed).get("output").getDouble(0);
  }

  private static Map<String, HostTensor> run(Graph g, Map<String, HostTensor> feed) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      return m.run(feed);
    }
  }

  private static HostTensor randomTensor(long[] shape, Random rnd) {
    double[] d = new double[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < d.length; i++) d[i] = 2 * rnd.nextDouble() - 1;
    return HostTensor.fromDoubles(DType.F64, d, shape);
  }
}
