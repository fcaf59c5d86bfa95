package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln weights}: listings of PyTorch and safetensors files, and one-line refusals with exit 2. */
class WeightsCliTest {
  static final String FIXTURES = "../../interop/src/test/resources/fixtures/torch/";
  @TempDir Path tmp;

  @Test void listsPtTensors() {
    CliRun r = CliRun.of("weights", FIXTURES + "mlp.pt");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("(PyTorch torch.save)"), r.out());
    assertTrue(r.out().matches("(?s).*fc1\\.weight\\s+f32\\s+\\[16, 8\\].*"), r.out());
    assertTrue(r.out().matches("(?s).*fc2\\.bias\\s+f32\\s+\\[4\\].*"), r.out());
    // 16*8 + 16 + 4*16 + 4
    assertTrue(r.out().contains("4 tensors, 212 parameters"), r.out());
  }

  @Test void listsSafetensorsWithMetadataAndNestedCheckpoints() {
    CliRun s = CliRun.of("weights", FIXTURES + "cnn.safetensors");
    assertEquals(0, s.exit(), s.err());
    assertTrue(s.out().contains("metadata: source = make_fixtures.py"), s.out());
    assertTrue(s.out().matches("(?s).*conv1\\.weight\\s+f32\\s+\\[4, 1, 3, 3\\].*"), s.out());
    CliRun c = CliRun.of("weights", FIXTURES + "checkpoint.pt");
    assertEquals(0, c.exit(), c.err());
    assertTrue(c.out().contains("model.fc1.weight") && c.out().contains("optimizer.state.0.momentum_buffer"), c.out());
  }

  @Test void refusedFilesExitTwoWithOneLine() throws Exception {
    for (String f : new String[] {FIXTURES + "torchscript.pt", FIXTURES + "legacy.pt"}) {
      CliRun r = CliRun.of("weights", f);
      assertEquals(2, r.exit(), r.err());
      assertEquals(1, r.errLines().length, r.err());
      assertTrue(r.err().startsWith("kiln: error: "), r.err());
    }
    Path bad = Files.write(tmp.resolve("bad.safetensors"), new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    CliRun r = CliRun.of("weights", bad.toString());
    assertEquals(2, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("header length"), r.err());
    CliRun missing = CliRun.of("weights", tmp.resolve("nope.pt").toString());
    assertEquals(2, missing.exit());
  }
}
