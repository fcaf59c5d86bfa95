package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.interop.torch.LoadOptions;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.ModelFixtures;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The torchvision-named model zoo (AlexNet, VGG-11, VGG-16, ResNet-34, ResNet-50, GoogLeNet) against torchvision 0.14:
 * each loads a torchvision {@code state_dict} ({@code fixtures/zoo/make_fixtures.py}: seeded random weights, AlexNet
 * and VGG at reduced width through the same Kiln code path) strictly, by name, and reproduces torchvision's eval-mode
 * output on TensorFlow-Java and, exported to ONNX, in ONNX Runtime, within 1e-4 of the output's largest magnitude.
 */
class ZooTorchvisionTest {
  static final String ROOT = "/fixtures/zoo/";
  /** The reduced width of the AlexNet and VGG fixtures (the script's WIDTH_DIVISOR and HIDDEN). */
  static final int WIDTH_DIVISOR = 8;
  static final long HIDDEN = 64;
  /** Allowed error, relative to the largest magnitude of the reference output. */
  static final double TOLERANCE = 1e-4;

  /** The Kiln model for fixture {@code name}, with the fixture's shapes; parameters from an unrelated seed. */
  static Model architecture(String name) {
    return switch (name) {
      case "alexnet" -> AlexNet.build(7, 96, 10, WIDTH_DIVISOR, HIDDEN);
      case "vgg11" -> Vgg.build(7, 11, 64, 10, WIDTH_DIVISOR, HIDDEN);
      case "vgg16" -> Vgg.build(7, 16, 64, 10, WIDTH_DIVISOR, HIDDEN);
      case "resnet34" -> ResNet34.build(7, 3, 64, 10);
      case "resnet50" -> ResNet50.build(7, 3, 64, 10);
      case "googlenet" -> GoogLeNet.build(7, 64, 10);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"alexnet", "vgg11", "vgg16", "resnet34", "resnet50", "googlenet"})
  void torchvisionStateDictLoadsStrictlyAndReproducesTorchvision(String name) throws Exception {
    StateDict weights = TorchFile.read(ModelFixtures.file(ROOT, name + ".pt"));
    Model arch = architecture(name);
    Model model = Weights.load(arch, weights); // strict: throws on any missing, unexpected or mis-shaped key
    long counters = weights.tensors().keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
    assertEquals(weights.tensors().size() - counters, model.graph().parameters().size(), name + ": parameters bound");
    for (Parameter p : model.graph().parameters()) {
      assertTrue(!p.initial().equals(arch.graph().parameter(p.name()).orElseThrow().initial()), name + ": " + p.name() + " was not replaced");
    }
    Map<String, HostTensor> io = ModelFixtures.io(ROOT, name);
    Map<String, HostTensor> feed = Map.of("image", io.get("input"));
    try (TfModel tf = TfModel.load(model.evalGraph())) {
      compare(name + " on TensorFlow", io.get("output"), tf.run(feed).get("logits"));
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.toBytes(model.graph()))) {
      compare(name + " exported, in ONNX Runtime", io.get("output"), ort.run(feed).get("logits"));
    }
  }

  @Test
  void googLeNetStateDictWithAuxiliaryHeadsLoadsWhenTheirKeysAreIgnored() throws Exception {
    Map<String, HostTensor> withAux = new LinkedHashMap<>(TorchFile.read(ModelFixtures.file(ROOT, "googlenet.pt")).tensors());
    withAux.put("aux1.fc2.weight", HostTensor.filled(DType.F32, new long[] {10, 1024}, 0));
    withAux.put("aux2.conv.conv.weight", HostTensor.filled(DType.F32, new long[] {128, 528, 1, 1}, 0));
    Model arch = GoogLeNet.build(7, 64, 10);
    KilnException strict = assertThrows(KilnException.class, () -> Weights.load(arch, StateDict.of(withAux)));
    assertTrue(strict.getMessage().contains("aux1.fc2.weight"), strict.getMessage());
    Weights.Loaded loaded = Weights.load(arch, StateDict.of(withAux), LoadOptions.defaults().ignore(GoogLeNet.AUX_KEYS));
    assertEquals(arch.graph().parameters().size(), loaded.model().graph().parameters().size());
  }

  /** Elementwise within {@link #TOLERANCE} x max |expected|; prints the figure for the record. */
  static void compare(String what, HostTensor expected, HostTensor got) {
    assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
    float[] e = expected.toFloats();
    float[] a = got.toFloats();
    double scale = 1e-6, worst = 0;
    for (float v : e) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
    System.out.printf("%s: max |kiln - torch| = %.3g (output scale %.3g, relative %.3g)%n", what, worst, scale, worst / scale);
    assertTrue(worst <= TOLERANCE * scale, what + ": max error " + worst + " over " + TOLERANCE + " x " + scale);
  }
}
