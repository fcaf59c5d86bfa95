package dev.kiln.samples.weights;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PyTorch models rewritten in the DSL load the weights make_fixtures.py saved and, exported to ONNX,
 * reproduce PyTorch's outputs in ONNX Runtime and on TensorFlow-Java (rtol 1e-4), from the .pt file and from the
 * safetensors one.
 */
class TorchWeightsTest {
  static final Path FIXTURES = Path.of("../../interop/src/test/resources/fixtures/torch");

  /** PyTorch: fc2(relu(fc1(x))), fc1 = Linear(8, 16), fc2 = Linear(16, 4). */
  static Model mlp() {
    return Model.build("mlp", m -> m.linear("fc2", m.linear("fc1", m.input("x", F32, "batch", 8), 16).relu(), 4));
  }

  /** PyTorch: conv1(1->4, 3x3, pad 1), relu, maxpool 2, conv2(4->8, 3x3), relu, flatten, fc(32 -> 5). */
  static Model cnn() {
    return Model.build("cnn", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 1, 8, 8);
      Tensor<F32> h = m.conv2d("conv1", x, Conv.out(4).kernel(3).padding(Padding.explicit(1))).relu().maxPool2d(2);
      h = m.conv2d("conv2", h, Conv.out(8).kernel(3)).relu();
      return m.linear("fc", h.flatten(), 5);
    });
  }

  private static void reproduces(Model architecture, String name, StateDict weights) throws Exception {
    Model loaded = Weights.load(architecture, weights);
    Map<String, HostTensor> io = Safetensors.read(FIXTURES.resolve(name + "_io.safetensors")).tensors();
    HostTensor want = io.get("output");
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.toBytes(loaded.graph()))) {
      assertClose(name + " in ONNX Runtime", want, ort.run(Map.of("x", io.get("input"))).get("output"));
    }
    try (TfModel tf = TfModel.load(loaded.graph())) {
      assertClose(name + " in TensorFlow-Java", want, tf.run(Map.of("x", io.get("input"))).get("output"));
    }
  }

  private static void assertClose(String name, HostTensor want, HostTensor got) {
    assertArrayEquals(want.shape(), got.shape());
    float[] w = want.toFloats();
    float[] g = got.toFloats();
    for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-4 * Math.abs(w[i]) + 1e-6, name + " output " + i);
  }

  @Test void mlpFromPt() throws Exception { reproduces(mlp(), "mlp", TorchFile.read(FIXTURES.resolve("mlp.pt"))); }

  @Test void mlpFromSafetensors() throws Exception {
    reproduces(mlp(), "mlp", StateDict.of(Safetensors.read(FIXTURES.resolve("mlp.safetensors")).tensors()));
  }

  @Test void cnnFromPt() throws Exception { reproduces(cnn(), "cnn", TorchFile.read(FIXTURES.resolve("cnn.pt"))); }

  @Test void cnnFromSafetensors() throws Exception {
    reproduces(cnn(), "cnn", StateDict.of(Safetensors.read(FIXTURES.resolve("cnn.safetensors")).tensors()));
  }

  @Test void checkpointModelEntryLoads() throws Exception {
    StateDict ck = TorchFile.read(FIXTURES.resolve("checkpoint.pt"));
    Model m = Weights.load(mlp(), ck.at("model"));
    assertEquals(ck.at("model").tensor("fc2.bias"), m.graph().parameter("fc2.bias").orElseThrow().initial());
  }
}
