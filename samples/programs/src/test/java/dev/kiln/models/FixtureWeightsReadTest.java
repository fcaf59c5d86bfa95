package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.samples.fixtures.ModelFixtures;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * TorchFile and Safetensors read every {@code fixtures/models} weight file: the key set and shapes are those
 * the architecture's definition gives (written out below from torchvision's and torch.nn's layer rules), and
 * the two files, read by two unrelated readers (zip + pickle vs JSON header), hold the same bytes.
 */
class FixtureWeightsReadTest {
  private final Map<String, long[]> keys = new LinkedHashMap<>();

  private void put(String name, long... shape) { keys.put(name, shape); }

  /** weight, bias, running_mean, running_var ([c]) and num_batches_tracked ([], i64) of a BatchNorm. */
  private void bn(String p, long c) {
    for (String k : new String[] {"weight", "bias", "running_mean", "running_var"}) put(p + "." + k, c);
    put(p + ".num_batches_tracked");
  }

  /** torchvision resnet18(num_classes=10): BasicBlocks [2, 2, 2, 2] at 64..512 channels, a 1x1 downsample where the shape changes. */
  private Map<String, long[]> resnet18() {
    put("conv1.weight", 64, 3, 7, 7);
    bn("bn1", 64);
    long in = 64;
    for (int layer = 1; layer <= 4; layer++) {
      long out = 64L << (layer - 1);
      for (int block = 0; block < 2; block++) {
        String p = "layer" + layer + "." + block + ".";
        put(p + "conv1.weight", out, block == 0 ? in : out, 3, 3);
        bn(p + "bn1", out);
        put(p + "conv2.weight", out, out, 3, 3);
        bn(p + "bn2", out);
        if (block == 0 && layer > 1) {
          put(p + "downsample.0.weight", out, in, 1, 1);
          bn(p + "downsample.1", out);
        }
      }
      in = out;
    }
    put("fc.weight", 10, 512);
    put("fc.bias", 10);
    return keys;
  }

  /** torchvision mobilenet_v2(num_classes=10): the inverted-residual table (t, c, n) of the paper, width 1.0. */
  private Map<String, long[]> mobilenetV2() {
    long[][] table = {{1, 16, 1}, {6, 24, 2}, {6, 32, 3}, {6, 64, 4}, {6, 96, 3}, {6, 160, 3}, {6, 320, 1}};
    put("features.0.0.weight", 32, 3, 3, 3);
    bn("features.0.1", 32);
    long in = 32;
    int f = 1;
    for (long[] row : table) {
      for (int i = 0; i < row[2]; i++, f++) {
        String p = "features." + f + ".conv.";
        long hidden = in * row[0];
        int j = 0;
        if (row[0] != 1) { // 1x1 expansion conv + BN (+ ReLU6)
          put(p + j + ".0.weight", hidden, in, 1, 1);
          bn(p + j + ".1", hidden);
          j++;
        }
        put(p + j + ".0.weight", hidden, 1, 3, 3); // depthwise 3x3 + BN (+ ReLU6)
        bn(p + j + ".1", hidden);
        put(p + (j + 1) + ".weight", row[1], hidden, 1, 1); // linear 1x1 projection
        bn(p + (j + 2), row[1]);
        in = row[1];
      }
    }
    put("features.18.0.weight", 1280, 320, 1, 1);
    bn("features.18.1", 1280);
    put("classifier.1.weight", 10, 1280);
    put("classifier.1.bias", 10);
    return keys;
  }

  /** nn.LSTM(8, 16, num_layers=2): four gates stacked (4 * 16 rows); then Linear(16, 5). */
  private Map<String, long[]> lstm() {
    for (int l = 0; l < 2; l++) {
      put("lstm.weight_ih_l" + l, 64, l == 0 ? 8 : 16);
      put("lstm.weight_hh_l" + l, 64, 16);
      put("lstm.bias_ih_l" + l, 64);
      put("lstm.bias_hh_l" + l, 64);
    }
    put("fc.weight", 5, 16);
    put("fc.bias", 5);
    return keys;
  }

  /** Two nn.TransformerEncoderLayer(32, 4 heads, feed-forward 64): packed q/k/v projection (3 * 32 rows); then Linear(32, 5). */
  private Map<String, long[]> transformer() {
    for (int l = 0; l < 2; l++) {
      String p = "encoder.layers." + l + ".";
      put(p + "self_attn.in_proj_weight", 96, 32);
      put(p + "self_attn.in_proj_bias", 96);
      put(p + "self_attn.out_proj.weight", 32, 32);
      put(p + "self_attn.out_proj.bias", 32);
      put(p + "linear1.weight", 64, 32);
      put(p + "linear1.bias", 64);
      put(p + "linear2.weight", 32, 64);
      put(p + "linear2.bias", 32);
      for (String norm : new String[] {"norm1", "norm2"}) {
        put(p + norm + ".weight", 32);
        put(p + norm + ".bias", 32);
      }
    }
    put("head.weight", 5, 32);
    put("head.bias", 5);
    return keys;
  }

  private Map<String, long[]> mlpBn() {
    put("fc1.weight", 32, 16);
    put("fc1.bias", 32);
    bn("bn", 32);
    put("fc2.weight", 10, 32);
    put("fc2.bias", 10);
    return keys;
  }

  private static Map<String, long[]> expected(String model) {
    FixtureWeightsReadTest t = new FixtureWeightsReadTest();
    return switch (model) {
      case "resnet18" -> t.resnet18();
      case "mobilenet_v2" -> t.mobilenetV2();
      case "lstm" -> t.lstm();
      case "transformer" -> t.transformer();
      case "mlp_bn" -> t.mlpBn();
      default -> throw new IllegalArgumentException(model);
    };
  }

  private static void check(String what, Map<String, long[]> want, Map<String, HostTensor> got) {
    assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), what + ": keys");
    for (var e : want.entrySet()) {
      HostTensor t = got.get(e.getKey());
      assertArrayEquals(e.getValue(), t.shape(), what + ": shape of " + e.getKey() + " is " + Arrays.toString(t.shape()));
      assertEquals(e.getKey().endsWith("num_batches_tracked") ? DType.I64 : DType.F32, t.dtype(), what + ": dtype of " + e.getKey());
    }
  }

  @TestFactory Stream<DynamicTest> ptAndSafetensorsHoldTheArchitecturesTensors() {
    return ModelFixtures.MODELS.stream().map(model -> DynamicTest.dynamicTest(model, () -> {
      Map<String, long[]> want = expected(model);
      Map<String, HostTensor> pt = TorchFile.read(ModelFixtures.file(model + ".pt")).tensors();
      Map<String, HostTensor> st = Safetensors.read(ModelFixtures.file(model + ".safetensors")).tensors();
      check(model + ".pt", want, pt);
      check(model + ".safetensors", want, st);
      for (String k : want.keySet()) assertEquals(pt.get(k), st.get(k), model + ": .pt and .safetensors differ at " + k);
    }));
  }

  /** The parameter counts torchvision documents for these architectures, less the 1000-class head plus a 10-class one. */
  @Test void parameterCountsMatchTorchvision() {
    assertEquals(11_689_512L - (512 * 1000 + 1000) + (512 * 10 + 10), parameters(expected("resnet18")));
    assertEquals(3_504_872L - (1280 * 1000 + 1000) + (1280 * 10 + 10), parameters(expected("mobilenet_v2")));
  }

  /** Elements of the learnable tensors (batch-norm running statistics excluded). */
  private static long parameters(Map<String, long[]> keys) {
    long n = 0;
    for (var e : keys.entrySet()) {
      if (e.getKey().contains("running_") || e.getKey().endsWith("num_batches_tracked")) continue;
      n += Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
    }
    return n;
  }
}
