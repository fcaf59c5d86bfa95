package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.ModelFixtures;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Parameter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real architectures written in the DSL (torchvision ResNet-18 and MobileNet-V2, a 2-layer LSTM classifier, an
 * MLP with BatchNorm1d, a 2-layer transformer encoder classifier) load PyTorch's weights
 * ({@code fixtures/models/make_fixtures.py}) strictly, by name, from the {@code .pt} file and from the safetensors
 * one, and reproduce PyTorch's eval-mode outputs on TensorFlow-Java and, exported to ONNX, in ONNX Runtime
 * (rtol 1e-4, atol 1e-5).
 */
class TorchModelsTest {

  /** The DSL model for fixture {@code name}, with the fixture's shapes; parameters from an unrelated seed. */
  static Model architecture(String name) {
    return switch (name) {
      case "resnet18" -> ResNet18.build(7, 3, 64, 10);
      case "mobilenet_v2" -> MobileNetV2.build(7, 3, 64, 10);
      case "lstm" -> LstmClassifier.build(7, 7L, 8, 16, 5);
      case "mlp_bn" -> MlpBatchNorm.build(7, 16, 32, 10);
      case "transformer" -> TransformerClassifier.build(7, 6, 32, 4, 64, 2, 5);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "mobilenet_v2", "lstm", "mlp_bn", "transformer"})
  void ptWeightsReproducePyTorch(String name) throws Exception {
    reproduces(name, "pt", TorchFile.read(ModelFixtures.file(name + ".pt")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "mobilenet_v2", "lstm", "mlp_bn", "transformer"})
  void safetensorsWeightsReproducePyTorch(String name) throws Exception {
    reproduces(name, "safetensors", StateDict.of(Safetensors.read(ModelFixtures.file(name + ".safetensors")).tensors()));
  }

  private static void reproduces(String name, String format, StateDict weights) throws Exception {
    Model arch = architecture(name);
    // Strict: every PyTorch key binds to a parameter of the same name (num_batches_tracked is skipped), and back.
    Model model = Weights.load(arch, weights);
    long counters = weights.tensors().keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
    assertEquals(weights.tensors().size() - counters, model.graph().parameters().size(), name + ": parameters bound");
    for (Parameter p : model.graph().parameters()) {
      assertTrue(!p.initial().equals(arch.graph().parameter(p.name()).orElseThrow().initial()), name + ": " + p.name() + " was not replaced");
    }
    Map<String, HostTensor> io = ModelFixtures.io(name);
    String input = name.equals("resnet18") || name.equals("mobilenet_v2") ? "image" : "x";
    Map<String, HostTensor> feed = Map.of(input, io.get("input"));
    String output = "logits";
    try (TfModel tf = TfModel.load(model.evalGraph())) {
      compare(name + " (" + format + ") on TensorFlow", io.get("output"), tf.run(feed).get(output));
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.toBytes(model.graph()))) {
      compare(name + " (" + format + ") in ONNX Runtime", io.get("output"), ort.run(feed).get(output));
    }
  }

  /** Kiln's output against PyTorch's, elementwise within {@link TorchFixtures#RTOL} and {@link TorchFixtures#ATOL}. */
  static void compare(String what, HostTensor expected, HostTensor got) {
    assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
    TorchFixtures.compare(what, expected, got);
  }
}
