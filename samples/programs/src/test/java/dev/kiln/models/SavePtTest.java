package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Model;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.samples.fixtures.ModelFixtures;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Weights#savePt}: a model loaded from PyTorch's {@code .pt} fixture and written back by Kiln holds the same
 * keys with bit-identical tensors ({@code num_batches_tracked} written as 0), read back by
 * {@link TorchFile}. The files are left in {@code target/torch-written/} for
 * {@code fixtures/savept/check_kiln_pt.py}, which loads them in PyTorch ({@code weights_only=True}, strict
 * {@code load_state_dict}) and compares the module's outputs with the fixtures' references.
 */
class SavePtTest {
  static final Path OUT = Path.of("target/torch-written");

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "mobilenet_v2", "lstm", "mlp_bn", "transformer"})
  void writtenStateDictReadsBackIdentically(String name) throws Exception {
    StateDict original = TorchFile.read(ModelFixtures.file(name + ".pt"));
    Model model = Weights.load(TorchModelsTest.architecture(name), original);
    Files.createDirectories(OUT);
    Path written = OUT.resolve(name + "_kiln.pt");
    Weights.savePt(model, written);

    Map<String, HostTensor> want = original.tensors();
    Map<String, HostTensor> got = TorchFile.read(written).tensors();
    // NOTE: the order is the DSL's parameter order, which may differ from the module's (a post-norm encoder layer
    // creates norm1 before linear1); load_state_dict matches by key, so only the key set must agree.
    assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), name + ": keys");
    for (Map.Entry<String, HostTensor> e : want.entrySet()) {
      HostTensor g = got.get(e.getKey());
      if (e.getKey().endsWith("num_batches_tracked")) {
        assertEquals(DType.I64, g.dtype());
        assertArrayEquals(new long[0], g.shape());
        assertEquals(0L, g.getDouble(0));
        continue;
      }
      assertEquals(e.getValue(), g, name + ": " + e.getKey());
    }
    try (ZipFile zip = new ZipFile(written.toFile())) {
      assertEquals("little", new String(zip.getInputStream(zip.getEntry("archive/byteorder")).readAllBytes()));
      assertEquals("3\n", new String(zip.getInputStream(zip.getEntry("archive/version")).readAllBytes()));
      assertEquals(want.size() + 3, zip.size(), "data.pkl, byteorder, version and one storage per tensor");
    }
  }
}
