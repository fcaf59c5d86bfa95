package dev.kiln.samples.autograd;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Kiln's reverse-mode gradients of whole models against PyTorch autograd: an MLP and a small CNN
 * (conv, relu, max pool, strided conv, average pool, flatten, linear) built with the DSL, given the
 * fixture's weights, differentiated by {@link Autodiff}, run on TensorFlow and in ONNX Runtime, and
 * compared with the gradients {@code fixtures/autograd/make_fixtures.py} wrote with torch 1.13.
 */
class AutogradFixtureTest {
  /** Relative tolerance; the references are float64 results on the float32 weights, Kiln runs in float32. */

  @Test
  void mlpGradientsMatchPyTorch() {
    check("mlp", (m, r) -> {
      Tensor<F32> x = m.input("x", F32, 4, 20);
      return m.linear("fc2", m.linear("fc1", x, 16).relu(), 10);
    });
  }

  @Test
  void cnnGradientsMatchPyTorch() {
    check("cnn", (m, r) -> {
      Tensor<F32> x = m.input("x", F32, 3, 1, 9, 9);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(4).kernel(3).padding(Padding.explicit(1))).relu();
      h = h.maxPool2d(Pool.kernel(2));
      h = h.conv2d("conv2", Conv.out(6).kernel(3).stride(2).padding(Padding.explicit(1))).relu();
      h = h.avgPool2d(Pool.kernel(2));
      return h.flatten().linear("fc", 3);
    });
  }

  /** MaxPool's gradient needs ScatterElements with reduction (opset 16): lower opsets are refused by name. */
  @Test
  void cnnGradientGraphNeedsOpset16() {
    Model model = Model.build("cnn_small", m -> m.input("x", F32, 1, 1, 4, 4).maxPool2d(Pool.kernel(2)).sum(false));
    Graph g = model.graph();
    Value loss = g.outputs().get(0);
    Graph grads = Autodiff.gradients(g, loss, List.of(g.input("x")), false);
    UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
        () -> OnnxExporter.export(grads, ExportOptions.defaults().opset(15)));
    assertTrue(e.getMessage().contains("MaxPoolGrad: needs opset >= 16"), e.getMessage());
    assertNotNull(OnnxExporter.export(grads, ExportOptions.defaults().opset(16)));
  }

  /**
   * Builds {@code name}'s model with loss = sum(y * r) (as one MatMul of the flattened tensors), sets its
   * parameters from the fixture, and checks the loss and every parameter gradient on both back ends.
   */
  private static void check(String name, BiFunction<ModelBuilder, HostTensor, Tensor<F32>> body) {
    HostTensor r = fixture(name, "r");
    Model model = Model.build(name, m -> {
      Tensor<F32> y = body.apply(m, r);
      Tensor<F32> rc = m.constant(r.reshape(r.size(), 1));
      return y.reshape(1, -1).matmul(rc).sum(false);
    });
    Graph g = withFixtureWeights(model.graph(), name);
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    Graph grads = Autodiff.gradients(g, loss);
    Map<String, HostTensor> feed = Map.of("x", fixture(name, "x"));

    Map<String, HostTensor> ort;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      ort = m.run(feed);
    }
    Map<String, HostTensor> tf;
    try (TfModel m = TfModel.load(grads)) {
      tf = m.run(feed);
    }
    int checked = 0;
    for (Map.Entry<String, Map<String, HostTensor>> backEnd : Map.of("ONNX Runtime", ort, "TensorFlow", tf).entrySet()) {
      Map<String, HostTensor> got = backEnd.getValue();
      compare(name + " loss on " + backEnd.getKey(), fixture(name, "loss"), got.get("output"));
      for (Parameter p : g.parameters()) {
        HostTensor grad = got.get("grad/" + p.name());
        assertNotNull(grad, name + ": no gradient of " + p.name() + " from " + backEnd.getKey());
        compare(name + " d loss / d " + p.name() + " on " + backEnd.getKey(), fixture(name, "grad_" + p.name()), grad);
        checked++;
      }
    }
    assertEquals(2 * g.parameters().size(), checked);
  }

  private static final TorchFixtures FIXTURES = new TorchFixtures("autograd");

  private static Graph withFixtureWeights(Graph g, String name) { return FIXTURES.withWeights(g, name, ""); }

  private static void compare(String what, HostTensor expected, HostTensor got) { TorchFixtures.compare(what, expected, got); }

  private static HostTensor fixture(String model, String file) { return FIXTURES.load(model, file); }
}
