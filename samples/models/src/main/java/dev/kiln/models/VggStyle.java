package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * A VGG-style net for 28x28 greyscale images: VGG's (Simonyan and Zisserman 2014) one idea -- stacks of 3x3 convolutions
 * (two 3x3s see as far as one 5x5 with fewer weights and one more ReLU), doubling the width after each 2x2 max pool --
 * in three blocks of two convolutions (16, 32, 64 channels, SAME padding, ReLU), then a dropout-regularised dense head.
 * Input {@code image} f32 [batch, 1, 28, 28] → [16, 14, 14] → [32, 7, 7] → [64, 3, 3]; flatten 576; dense 256, dropout
 * 0.5; output {@code logits} [batch, 10].
 */
public final class VggStyle {
  private VggStyle() {}

  static final int[] WIDTHS = {16, 32, 64};

  public static Model build(long seed) {
    return Model.define("vgg_style", seed, m -> {
      Tensor<F32> h = m.input("image", F32, "batch", 1, 28, 28);
      for (int b = 0; b < WIDTHS.length; b++) {
        int w = WIDTHS[b];
        Tensor<F32> in = h;
        h = m.block("block" + (b + 1), s -> in.conv2d("conv1", Conv.out(w).kernel(3).padding(Padding.SAME)).relu()
            .conv2d("conv2", Conv.out(w).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2));
      }
      h = h.flatten().linear("fc1", 256).relu().dropout(0.5);
      m.output("logits", h.linear("fc2", 10));
    });
  }
}
