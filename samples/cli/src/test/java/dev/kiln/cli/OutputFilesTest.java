package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Output names become safe, distinct file names inside the output folder. */
class OutputFilesTest {
  @Test void unsafeCharactersAndLeadingDotsAreReplaced() {
    assertEquals("logits", OutputFiles.stem("logits"));
    assertEquals("_fc1_MatMul_output_0", OutputFiles.stem("/fc1/MatMul_output_0"));
    assertEquals("_._etc_passwd", OutputFiles.stem("../etc/passwd"));
    assertEquals("_hidden", OutputFiles.stem(".hidden"));
    assertEquals("a_b_c", OutputFiles.stem("a b\\c"));
    assertEquals("output", OutputFiles.stem(""));
    assertEquals(100, OutputFiles.stem("x".repeat(500)).length());
  }

  @Test void collisionsGetSuffixes() {
    Path dir = Path.of("out");
    Map<String, Path> files = OutputFiles.assign(dir, List.of("a/b", "a_b", "A_B", "c"));
    assertEquals(dir.resolve("a_b.npy"), files.get("a/b"));
    assertEquals(dir.resolve("a_b_2.npy"), files.get("a_b"));
    assertEquals(dir.resolve("A_B_3.npy"), files.get("A_B"));
    assertEquals(dir.resolve("c.npy"), files.get("c"));
  }
}
