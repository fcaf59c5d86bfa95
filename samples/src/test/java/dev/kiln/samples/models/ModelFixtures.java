package dev.kiln.samples.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The real-architecture fixtures of {@code fixtures/models/make_fixtures.py}: {@code <name>.pt} and
 * {@code <name>.safetensors} (gzipped as {@code <file>.gz} when large; unpacked into a temporary folder first) and
 * {@code <name>_io.safetensors} with PyTorch's eval-mode {@code input} and {@code output}.
 */
final class ModelFixtures {
  static final Path DIR = Path.of("src/test/resources/fixtures/models");

  private ModelFixtures() {}

  /** The fixture file {@code file}, gunzipped into a temporary file when only {@code file.gz} exists. */
  static Path file(String file) {
    Path p = DIR.resolve(file);
    if (Files.exists(p)) return p;
    Path gz = DIR.resolve(file + ".gz");
    if (!Files.exists(gz)) throw new IllegalStateException("missing fixture " + p + " (run make_fixtures.py)");
    try {
      Path out = Files.createTempFile("kiln-fixture-", "-" + file);
      out.toFile().deleteOnExit();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
        Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <name>.pt} read by {@link TorchFile}. */
  static StateDict pt(String name) throws IOException { return TorchFile.read(file(name + ".pt")); }

  /** {@code <name>.safetensors} read by {@link Safetensors}. */
  static StateDict safetensors(String name) throws IOException {
    return StateDict.of(Safetensors.read(file(name + ".safetensors")).tensors());
  }

  /** PyTorch's reference {@code input} and {@code output} of {@code name}. */
  static Map<String, HostTensor> io(String name) throws IOException {
    return Safetensors.read(file(name + "_io.safetensors")).tensors();
  }

  /** Kiln's output against PyTorch's, elementwise within {@link TorchFixtures#RTOL} and {@link TorchFixtures#ATOL}. */
  static void compare(String what, HostTensor expected, HostTensor got) {
    assertArrayEquals(expected.shape(), got.shape(), what + ": shape");
    TorchFixtures.compare(what, expected, got);
  }
}
