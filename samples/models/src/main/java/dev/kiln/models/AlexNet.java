package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.AdaptiveAvgPool2d;
import dev.kiln.dsl.types.F32;

/**
 * torchvision's AlexNet ({@code torchvision.models.alexnet}) in the DSL, with parameter names equal to torchvision's
 * {@code state_dict} keys: the convolutions {@code features.0/3/6/8/10} (indices 1, 2, 4, 5, 7, 9, 11, 12 are ReLU
 * and max-pool modules, which hold no weights), adaptive average pooling to 6 x 6, and the classifier
 * {@code classifier.1/4/6} (0 and 3 are dropout, identity at inference). Input {@code image} f32
 * [batch, 3, size, size] (63 or more), output {@code logits} [batch, classes].
 *
 * <p>{@link #build(long, long, long, int, long)} builds a narrower variant by the same code: every convolution's
 * channels divided by {@code widthDivisor} and {@code hidden}-wide hidden layers (torchvision: divisor 1, 4096); the
 * keys stay torchvision's, which is how the PyTorch fixture test checks this class without a 61M-parameter file.
 */
public final class AlexNet {
  /** torchvision's convolution widths and hidden width. */
  static final long[] CHANNELS = {64, 192, 384, 256, 256};
  /** The width of the two hidden classifier layers in torchvision's AlexNet. */
  public static final long HIDDEN = 4096;
  /** torchvision's classifier dropout. */
  static final double DROPOUT = 0.5;

  private AlexNet() {}

  /** The ImageNet-shaped model: 3 x 224 x 224 inputs, 1000 classes. */
  public static Model build(long seed) { return build(seed, 224, 1000); }

  /** torchvision's AlexNet for 3 x {@code size} x {@code size} images and {@code classes} classes. */
  public static Model build(long seed, long size, long classes) { return build(seed, size, classes, 1, HIDDEN); }

  /** AlexNet with convolution widths divided by {@code widthDivisor} and {@code hidden}-wide hidden layers. */
  public static Model build(long seed, long size, long classes, int widthDivisor, long hidden) {
    return Model.define("alexnet", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 3, size, size);
      m.output("logits", forward(m, image, classes, widthDivisor, hidden));
    });
  }

  /** The network applied to {@code x} [N, 3, H, W]. */
  public static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, long classes, int widthDivisor, long hidden) {
    long[] c = new long[CHANNELS.length];
    for (int i = 0; i < c.length; i++) c[i] = Math.max(1, CHANNELS[i] / widthDivisor);
    Pool pool = Pool.kernel(3).stride(2);
    Tensor<F32> f = m.block("features", b -> {
      Tensor<F32> h = conv(x, "0", c[0], 11, 4, 2).maxPool2d(pool);
      h = conv(h, "3", c[1], 5, 1, 2).maxPool2d(pool);
      h = conv(h, "6", c[2], 3, 1, 1);
      h = conv(h, "8", c[3], 3, 1, 1);
      return conv(h, "10", c[4], 3, 1, 1).maxPool2d(pool);
    });
    Tensor<F32> flat = f.apply(AdaptiveAvgPool2d.of(6)).flatten();
    return m.block("classifier", b -> flat.dropout(DROPOUT).linear("1", hidden).relu()
        .dropout(DROPOUT).linear("4", hidden).relu().linear("6", classes));
  }

  private static Tensor<F32> conv(Tensor<F32> x, String name, long out, long kernel, long stride, long pad) {
    return x.conv2d(name, Conv.out(out).kernel(kernel).stride(stride).padding(Padding.explicit(pad))).relu();
  }
}
