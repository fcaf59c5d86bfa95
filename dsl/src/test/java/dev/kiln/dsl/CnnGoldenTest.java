package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.compiler.onnx.OnnxText;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.harness.Goldens;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Golden IR text, ONNX text and summary of the reference small CNN; regenerate with -Dkiln.update.goldens=true. */
class CnnGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden");

  /** conv 3x3 SAME 8 → relu → maxpool 2 → conv 3x3 SAME 16 → relu → maxpool 2 → flatten → linear 10. */
  static Model cnn() {
    return Model.build("small_cnn", m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 1, 28, 28);
      Tensor<F32> h = x.conv2d("c1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2)
          .conv2d("c2", Conv.out(16).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2);
      return h.flatten().linear("fc", 10);
    });
  }

  @Test
  void irText() { Goldens.check(DIR.resolve("cnn.ir.txt"), cnn().toText()); }

  @Test
  void onnxText() { Goldens.check(DIR.resolve("cnn.onnx.txt"), OnnxText.of(OnnxExporter.export(cnn().graph()))); }

  @Test
  void summary() { Goldens.check(DIR.resolve("cnn.summary.txt"), cnn().summary()); }

  @Test
  void parameterCount() {
    assertEquals(8 * 9 + 8 + 16 * 8 * 9 + 16 + 16 * 7 * 7 * 10 + 10, cnn().graph().parameterCount());
  }
}
