package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.compiler.onnx.OnnxText;
import dev.kiln.spec.harness.Goldens;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Golden IR text, ONNX text and summary of the reference MLP; regenerate with -Dkiln.update.goldens=true. */
class MlpGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden");

  @Test
  void irText() { Goldens.check(DIR.resolve("mlp.ir.txt"), Mlps.mlp().toText()); }

  @Test
  void onnxText() { Goldens.check(DIR.resolve("mlp.onnx.txt"), OnnxText.of(OnnxExporter.export(Mlps.mlp().graph()))); }

  @Test
  void summary() { Goldens.check(DIR.resolve("mlp.summary.txt"), Mlps.mlp().summary()); }

  @Test
  void parameterCount() {
    assertEquals(784 * 256 + 256 + 256 * 10 + 10, Mlps.mlp().graph().parameterCount());
  }

  @Test
  void onnxGoldenCatchesAWeightChange() {
    // Same structure, other seed: only the initializer digests may differ, and they must.
    String a = OnnxText.of(OnnxExporter.export(Mlps.mlp(1).graph()));
    String b = OnnxText.of(OnnxExporter.export(Mlps.mlp(2).graph()));
    String[] la = a.split("\n");
    String[] lb = b.split("\n");
    assertEquals(la.length, lb.length);
    int differing = 0;
    for (int i = 0; i < la.length; i++) {
      if (!la[i].equals(lb[i])) {
        differing++;
        assertEquals(true, la[i].contains("sha256") || la[i].contains("kiln.seed") || la[i].matches("\\s*value: \"\\d+\""),
            "unexpected difference: " + la[i] + " vs " + lb[i]);
      }
    }
    // fc1.weight and fc2.weight digests, and the seed; zero biases are equal.
    assertEquals(3, differing, a);
  }
}
