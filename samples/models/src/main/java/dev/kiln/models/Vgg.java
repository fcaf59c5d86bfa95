package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.AdaptiveAvgPool2d;
import dev.kiln.dsl.types.F32;
import java.util.Map;

/**
 * torchvision's VGG without batch norm ({@code torchvision.models.vgg11}, {@code vgg13}, {@code vgg16},
 * {@code vgg19}) in the DSL, with parameter names equal to torchvision's {@code state_dict} keys: the 3x3
 * convolutions {@code features.N} numbered as torchvision's {@code nn.Sequential} numbers them (each conv is
 * followed by a ReLU, each stage by a max pool, all counted), adaptive average pooling to 7 x 7, and the classifier
 * {@code classifier.0/3/6} (1, 4 are ReLU, 2, 5 dropout). Input {@code image} f32 [batch, 3, size, size] (32 or
 * more), output {@code logits} [batch, classes].
 *
 * <p>{@link #build(long, int, long, long, int, long)} builds a narrower variant by the same code: convolution
 * channels divided by {@code widthDivisor}, {@code hidden}-wide hidden layers (torchvision: 1 and 4096).
 */
public final class Vgg {
  /** A max pool in a configuration. */
  private static final int M = 0;
  /** torchvision's configurations ({@code vgg.cfgs} "A", "B", "D", "E") by depth. */
  static final Map<Integer, int[]> CONFIGS = Map.of(
      11, new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M},
      13, new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M},
      16, new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M},
      19, new int[] {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M});
  /** The width of the two hidden classifier layers in torchvision's VGG. */
  public static final long HIDDEN = 4096;
  /** torchvision's classifier dropout. */
  static final double DROPOUT = 0.5;

  private Vgg() {}

  /** VGG-11 for 3 x 224 x 224 images and 1000 classes. */
  public static Model vgg11(long seed) { return build(seed, 11, 224, 1000); }

  /** VGG-16 for 3 x 224 x 224 images and 1000 classes. */
  public static Model vgg16(long seed) { return build(seed, 16, 224, 1000); }

  /** torchvision's VGG-{@code depth} (11, 13, 16 or 19) for 3 x {@code size} x {@code size} images. */
  public static Model build(long seed, int depth, long size, long classes) { return build(seed, depth, size, classes, 1, HIDDEN); }

  /** VGG-{@code depth} with convolution channels divided by {@code widthDivisor} and {@code hidden}-wide hidden layers. */
  public static Model build(long seed, int depth, long size, long classes, int widthDivisor, long hidden) {
    int[] config = CONFIGS.get(depth);
    if (config == null) throw new IllegalArgumentException("VGG depth must be one of " + CONFIGS.keySet() + ", got " + depth);
    return Model.define("vgg" + depth, seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 3, size, size);
      m.output("logits", forward(m, image, config, classes, widthDivisor, hidden));
    });
  }

  /** The network applied to {@code x} [N, 3, H, W] for a configuration (channel counts, 0 for a max pool). */
  static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, int[] config, long classes, int widthDivisor, long hidden) {
    Tensor<F32> f = m.block("features", b -> {
      Tensor<F32> h = x;
      int index = 0; // torchvision's Sequential index: conv, relu per conv; one per pool
      for (int c : config) {
        if (c == M) {
          h = h.maxPool2d(2);
          index++;
        } else {
          h = h.conv2d(String.valueOf(index), Conv.out(Math.max(1, c / widthDivisor)).kernel(3).padding(Padding.explicit(1))).relu();
          index += 2;
        }
      }
      return h;
    });
    Tensor<F32> flat = f.apply(AdaptiveAvgPool2d.of(7)).flatten();
    return m.block("classifier", b -> flat.linear("0", hidden).relu().dropout(DROPOUT)
        .linear("3", hidden).relu().dropout(DROPOUT).linear("6", classes));
  }
}
