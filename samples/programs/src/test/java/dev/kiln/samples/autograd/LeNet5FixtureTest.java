package dev.kiln.samples.autograd;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.models.LeNet5;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The LeNet-5 sample's layers ({@link LeNet5#logits}) against PyTorch: given the weights
 * {@code fixtures/lenet/make_fixtures.py} drew, the logits, the loss sum(logits * r) and every parameter's
 * gradient, on TensorFlow and in ONNX Runtime (the gradient graph exported), within {@link TorchFixtures#RTOL}.
 */
class LeNet5FixtureTest {
  private static final TorchFixtures FIXTURES = new TorchFixtures("lenet");

  @Test
  void outputsAndParameterGradientsMatchPyTorch() {
    HostTensor r = FIXTURES.load("lenet5", "r");
    Model model = Model.build("lenet5", m -> {
      Tensor<F32> logits = m.output("logits", LeNet5.logits(m.input("image", F32, 4, 1, 28, 28)));
      return logits.reshape(1, -1).matmul(m.constant(r.reshape(r.size(), 1))).sum(false);
    });
    Graph g = FIXTURES.withWeights(model.graph(), "lenet5", "");
    assertEquals(10, g.parameters().size(), "LeNet-5's conv and linear weights and biases");
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    Graph grads = Autodiff.gradients(g, loss, g.parameters().stream().map(Parameter::value).toList(), true);
    Map<String, HostTensor> feed = Map.of("image", FIXTURES.load("lenet5", "x"));

    Map<String, HostTensor> ort;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      ort = m.run(feed);
    }
    Map<String, HostTensor> tf;
    try (TfModel m = TfModel.load(grads)) {
      tf = m.run(feed);
    }
    for (var backEnd : Map.of("ONNX Runtime", ort, "TensorFlow", tf).entrySet()) {
      Map<String, HostTensor> got = backEnd.getValue();
      String on = " on " + backEnd.getKey();
      TorchFixtures.compare("lenet5 logits" + on, FIXTURES.load("lenet5", "logits"), got.get("logits"));
      TorchFixtures.compare("lenet5 loss" + on, FIXTURES.load("lenet5", "loss"), got.get("output"));
      for (Parameter p : g.parameters()) {
        HostTensor grad = got.get("grad/" + p.name());
        assertNotNull(grad, "no gradient of " + p.name() + on);
        TorchFixtures.compare("lenet5 d loss / d " + p.name() + on, FIXTURES.load("lenet5", "grad_" + p.name()), grad);
      }
    }
  }
}
