package dev.kiln.samples.norm;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Kiln's normalisation layers against PyTorch ({@code fixtures/norm/make_fixtures.py}, torch 1.13): a residual
 * block with batch norm in train mode (output, loss, every parameter gradient, the updated running statistics,
 * on TensorFlow) and in eval mode (TensorFlow on the eval graph, and ONNX Runtime on the export); layer, group
 * and instance norm (output and gradients on TensorFlow, output in ONNX Runtime).
 */
class NormFixtureTest {

  @Test
  void residualBlockWithBatchNormMatchesPyTorch() {
    check("resblock", "", m -> {
      Tensor<F32> x = m.input("x", F32, 4, 3, 5, 5);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(3).kernel(3).padding(Padding.explicit(1))).batchNorm("bn1").relu();
      return h.conv2d("conv2", Conv.out(3).kernel(3).padding(Padding.explicit(1))).batchNorm("bn2").add(x).relu();
    }, true);
  }

  @Test
  void layerNormMatchesPyTorch() {
    check("layernorm", "ln.", m -> m.input("x", F32, 4, 6, 8).layerNorm("ln"), false);
  }

  @Test
  void groupNormMatchesPyTorch() {
    check("groupnorm", "gn.", m -> m.input("x", F32, 4, 6, 3, 3).groupNorm("gn", 3), false);
  }

  @Test
  void instanceNormMatchesPyTorch() {
    check("instancenorm", "in.", m -> m.input("x", F32, 4, 6, 3, 3).instanceNorm("in"), false);
  }

  /**
   * Builds the model with output {@code y} and loss {@code sum(y * r)}, loads the fixture's parameters (Kiln
   * name = {@code prefix} + PyTorch name), and compares train-mode results on TF, eval-mode ones on TF and ORT.
   */
  private static void check(String name, String prefix, Function<ModelBuilder, Tensor<F32>> body, boolean batchNorm) {
    HostTensor r = fixture(name, "r");
    Model model = Model.build(name, m -> {
      Tensor<F32> y = m.output("y", body.apply(m));
      Tensor<F32> rc = m.constant(r.reshape(r.size(), 1));
      return y.reshape(1, -1).matmul(rc).sum(false);
    });
    Graph g = withFixtureWeights(model.graph(), name, prefix);
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    List<Value> wrt = g.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    Graph grads = Autodiff.gradients(g, loss, wrt, true);
    Map<String, HostTensor> feed = Map.of("x", fixture(name, "x"));

    Map<String, HostTensor> train;
    try (TfModel m = TfModel.load(grads)) {
      train = m.run(feed);
    }
    compare(name + " train-mode y", fixture(name, "y_train"), train.get("y"));
    compare(name + " train-mode loss", fixture(name, "loss_train"), train.get("output"));
    for (Value p : wrt) {
      compare(name + " d loss / d " + p.name(), fixture(name, "grad_" + p.name().substring(prefix.length())), train.get("grad/" + p.name()));
    }
    int updates = 0;
    for (String stat : TrainingForm.updates(g).keySet()) {
      compare(name + " updated " + stat, fixture(name, "after_" + stat), train.get(TrainingForm.UPDATE_PREFIX + stat));
      updates++;
    }
    assertEquals(batchNorm ? 4 : 0, updates, "state updates of " + name);

    Graph eval = new Model(g).evalGraph();
    assertFalse(eval.outputs().stream().anyMatch(TrainingForm::isUpdate), "eval graph keeps no state updates");
    HostTensor expected = fixture(name, batchNorm ? "y_eval" : "y_train");
    try (TfModel m = TfModel.load(eval)) {
      compare(name + " eval-mode y on TF", expected, m.run(feed).get("y"));
    }
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      compare(name + " eval-mode y in ONNX Runtime", expected, m.run(feed).get("y"));
    }
  }

  private static final TorchFixtures FIXTURES = new TorchFixtures("norm");

  private static Graph withFixtureWeights(Graph g, String name, String prefix) {
    return FIXTURES.withWeights(g, name, prefix);
  }

  private static void compare(String what, HostTensor expected, HostTensor got) { TorchFixtures.compare(what, expected, got); }

  static HostTensor fixture(String model, String file) { return FIXTURES.load(model, file); }
}
