package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.BatchNorm;
import dev.kiln.dsl.layers.Conv2d;
import dev.kiln.dsl.layers.Linear;
import dev.kiln.dsl.types.F32;

/**
 * A small ResNet for 28x28 greyscale images (He et al.'s CIFAR layout, scaled down): input {@code image}
 * f32 [batch, 1, 28, 28]; stem conv 3x3 → {@code widths[0]}, batch norm, relu; then one stage per width,
 * each of {@code blocks} basic blocks (conv 3x3, bn, relu, conv 3x3, bn, plus the shortcut, relu), every
 * stage starting with stride 2 and a 1x1 conv + bn projection shortcut (28x28 → 14 → 7 → 4: the stem is
 * cheap at full resolution, one input channel, while the 3x3 convs of the stages run at 14x14 and below,
 * which keeps training affordable on a CPU); global average
 * pooling; linear head to output {@code logits} [batch, 10]. Convolutions before a batch norm carry no bias
 * (the norm's shift replaces it). Built in training form; export and {@link Model#evalGraph()} use the
 * running statistics.
 */
public final class ResNet {
  /** The default widths: three stages, at 14x14, 7x7 and 4x4. */
  public static final long[] WIDTHS = {16, 32, 64};
  /** Basic blocks per stage by default. */
  public static final int BLOCKS = 2;

  private ResNet() {}

  /** The default small ResNet (widths 16/32/64, 2 blocks per stage) from {@code seed}. */
  public static Model build(long seed) { return build(seed, WIDTHS, BLOCKS); }

  /** A ResNet with one stage per entry of {@code widths}, {@code blocks} basic blocks each. */
  public static Model build(long seed, long[] widths, int blocks) {
    return Model.define("resnet", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 1, 28, 28);
      Tensor<F32> h = m.block("stem", b -> conv3x3(image, "conv", widths[0], 1).apply("bn", BatchNorm.of()).relu());
      for (int s = 0; s < widths.length; s++) {
        int stage = s;
        Tensor<F32> in = h;
        h = m.block("stage" + (s + 1), b -> {
          Tensor<F32> t = in;
          for (int k = 0; k < blocks; k++) t = basicBlock(t, "block" + (k + 1), widths[stage], k == 0 ? 2 : 1);
          return t;
        });
      }
      h = h.globalAvgPool().flatten();
      m.output("logits", h.apply("fc", Linear.of(10)));
    });
  }

  /**
   * One basic block: relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)); the shortcut is x itself, or a
   * strided 1x1 conv + bn when the stride or the channel count changes.
   */
  public static Tensor<F32> basicBlock(Tensor<F32> x, String name, long out, long stride) {
    return x.builder().block(name, m -> {
      Tensor<F32> h = conv3x3(x, "conv1", out, stride).apply("bn1", BatchNorm.of()).relu();
      h = conv3x3(h, "conv2", out, 1).apply("bn2", BatchNorm.of());
      Tensor<F32> shortcut = x;
      if (stride != 1 || x.size(1) != out) {
        shortcut = m.block("proj", p -> x.apply("conv", Conv2d.of(out, 1).stride(stride).noBias()).apply("bn", BatchNorm.of()));
      }
      return h.add(shortcut).relu();
    });
  }

  private static Tensor<F32> conv3x3(Tensor<F32> x, String name, long out, long stride) {
    return x.apply(name, Conv2d.of(out, 3).stride(stride).padding(Padding.explicit(1)).noBias());
  }
}
