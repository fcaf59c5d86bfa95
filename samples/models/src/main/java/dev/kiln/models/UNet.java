package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * A small U-Net-style denoiser for 28x28 greyscale images: input {@code noisy} f32 [batch, 1, 28, 28],
 * output {@code denoised} f32 [batch, 1, 28, 28] in (0, 1). Encoder: two 3x3 conv + relu levels at 28x28
 * ({@code w}) and 14x14 ({@code 2w} channels), each followed by 2x2 max pooling; bottleneck 3x3 conv + relu
 * at 7x7 ({@code 4w}). Decoder: a 2x2 stride-2 transposed convolution up one level, concatenated on the
 * channels with the encoder's features of that level (the skip connection), then a 3x3 conv + relu; finally a
 * 1x1 conv to one channel and a sigmoid.
 */
public final class UNet {
  /** Channels of the first level by default. */
  public static final long WIDTH = 16;

  private UNet() {}

  /** The default U-Net (width {@value #WIDTH}) from {@code seed}. */
  public static Model build(long seed) { return build(seed, WIDTH); }

  /** The U-Net with {@code width} channels at full resolution (doubling per level down). */
  public static Model build(long seed, long width) {
    return Model.define("unet", seed, m -> {
      Tensor<F32> x = m.input("noisy", F32, "batch", 1, 28, 28);
      Tensor<F32> e1 = conv3x3(x, "enc1", width);                       // [w, 28, 28]
      Tensor<F32> e2 = conv3x3(e1.maxPool2d(2), "enc2", 2 * width);     // [2w, 14, 14]
      Tensor<F32> mid = conv3x3(e2.maxPool2d(2), "mid", 4 * width);     // [4w, 7, 7]
      Tensor<F32> d2 = up(mid, "up2", 2 * width).concat(1, e2);         // [4w, 14, 14]
      d2 = conv3x3(d2, "dec2", 2 * width);
      Tensor<F32> d1 = up(d2, "up1", width).concat(1, e1);              // [2w, 28, 28]
      d1 = conv3x3(d1, "dec1", width);
      m.output("denoised", d1.conv2d("out", Conv.out(1).kernel(1)).sigmoid());
    });
  }

  private static Tensor<F32> conv3x3(Tensor<F32> x, String name, long out) {
    return x.conv2d(name, Conv.out(out).kernel(3).padding(Padding.explicit(1))).relu();
  }

  /** Doubles height and width: a 2x2 transposed convolution with stride 2. */
  private static Tensor<F32> up(Tensor<F32> x, String name, long out) {
    return x.convTranspose2d(name, Conv.out(out).kernel(2).stride(2));
  }
}
