package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.F32;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: summary() rows follow nested blocks to a depth: by default a ResNet-like stage {@code layer1} shows one
 * row per residual block ({@code layer1.0}, op {@code Block}, with its parameters), {@code summary(3)} expands the
 * blocks into their layers and {@code summary(1)} folds the stage.
 */
class SummaryDepthTest {
  /** conv1 (8 x 1 x 3 x 3 + 8 = 80 parameters), then stage layer1 of two blocks of two 3x3 convs (8 -> 8: 584 each). */
  static Model model() {
    return Model.build("nested", 1, m -> {
      Tensor<F32> x = m.input("x", DTypes.F32, "batch", 1, 8, 8);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu();
      return m.block("layer1", s -> {
        Tensor<F32> y = h;
        for (String b : new String[] {"0", "1"}) {
          Tensor<F32> in = y;
          y = m.block(b, k -> in.conv2d("conv1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu()
              .conv2d("conv2", Conv.out(8).kernel(3).padding(Padding.SAME)).add(in).relu());
        }
        return y;
      });
    });
  }

  private static Optional<String> row(String summary, String layer) {
    return summary.lines().filter(l -> l.startsWith(layer + " ")).findFirst();
  }

  @Test void innerBlocksAreRowsByDefaultAndExpandOrFoldByDepth() {
    Model m = model();
    String two = m.summary();
    assertEquals(two, m.summary(2));
    String block = row(two, "layer1.0").orElseThrow(() -> new AssertionError(two));
    assertTrue(block.contains("Block") && block.trim().endsWith("1,168") && block.contains("[batch, 8, 8, 8]"), block);
    assertTrue(row(two, "layer1.1").isPresent() && row(two, "conv1").orElseThrow().trim().endsWith("80"), two);
    assertFalse(row(two, "layer1.0.conv1").isPresent(), two);

    String three = m.summary(3);
    assertTrue(row(three, "layer1.0.conv1").orElseThrow(() -> new AssertionError(three)).trim().endsWith("584"), three);
    assertTrue(row(three, "layer1.1.conv2").isPresent(), three);

    String one = m.summary(1);
    assertTrue(row(one, "layer1").orElseThrow(() -> new AssertionError(one)).trim().endsWith("2,336"), one);
    assertFalse(row(one, "layer1.0").isPresent(), one);
    assertTrue(two.contains("Total params: 2,416"), two);
    assertThrows(IllegalArgumentException.class, () -> m.summary(0));
  }
}
