package dev.kiln.samples.gnn;

import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.I64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.GatConv;
import dev.kiln.dsl.layers.GcnConv;
import dev.kiln.dsl.layers.SageConv;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Kiln's graph layers against plain-PyTorch references on Zachary's karate club ({@code fixtures/gnn/make_fixtures.py},
 * torch 1.13, no torch_geometric): output, loss gradient of every parameter on TensorFlow, output in ONNX Runtime.
 */
class GraphLayerFixtureTest {
  private static final TorchFixtures FIXTURES = new TorchFixtures("gnn");

  @Test
  void gcnMatchesPyTorch() { check("gcn", (x, e) -> GcnConv.of(4).apply("gcn", x, e)); }

  @Test
  void sageMatchesPyTorch() { check("sage", (x, e) -> SageConv.of(4).apply("sage", x, e)); }

  @Test
  void gatMatchesPyTorch() { check("gat", (x, e) -> GatConv.of(3, 2).apply("gat", x, e)); }

  @Test
  void gatAveragingHeadsMatchesPyTorch() { check("gat_mean", (x, e) -> GatConv.of(3, 2).concat(false).apply("gat_mean", x, e)); }

  /** The committed edge list read by {@link KarateClub} is the fixture's edge index, in the same order. */
  @Test
  void karateClubReadsAsTheFixture() {
    KarateClub club = KarateClub.load();
    assertArrayEquals(FIXTURES.load("karate", "edge_index").toLongs(), club.edgeIndex().toLongs());
    assertArrayEquals(new long[] {2, 156}, club.edgeIndex().shape());
  }

  private static void check(String name, BiFunction<Tensor<F32>, Tensor<I64>, Tensor<F32>> layer) {
    HostTensor r = FIXTURES.load(name, "r");
    Model model = Model.build(name, m -> {
      Tensor<F32> x = m.input("x", F32, 34, 8);
      Tensor<I64> edges = m.input("edges", I64, 2, 156);
      Tensor<F32> y = m.output("y", layer.apply(x, edges));
      return y.mul(m.constant(r)).sum(false);
    });
    Graph g = FIXTURES.withWeights(model.graph(), name, name + ".");
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    List<Value> wrt = g.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    Graph grads = Autodiff.gradients(g, loss, wrt, true);
    Map<String, HostTensor> feed = Map.of("x", FIXTURES.load("karate", "x"), "edges", FIXTURES.load("karate", "edge_index"));
    HostTensor want = FIXTURES.load(name, "y");
    try (TfModel m = TfModel.load(grads)) {
      Map<String, HostTensor> got = m.run(feed);
      TorchFixtures.compare(name + " y on TF", want, got.get("y"));
      for (Value p : wrt) {
        TorchFixtures.compare(name + " d loss / d " + p.name(), FIXTURES.load(name, "grad_" + p.name().substring(name.length() + 1)),
            got.get("grad/" + p.name()));
      }
    }
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      TorchFixtures.compare(name + " y in ONNX Runtime", want, m.run(feed).get("y"));
    }
  }
}
