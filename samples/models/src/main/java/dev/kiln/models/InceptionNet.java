package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * A small GoogLeNet-style net for 28x28 greyscale images, built from Inception blocks (Szegedy et al. 2014): four
 * parallel branches over the same input -- 1x1; 1x1 reduce then 3x3; 1x1 reduce then 5x5; 3x3 max pool (stride 1)
 * then 1x1 -- concatenated on the channel axis, so the block picks its receptive field per channel; the 1x1
 * reductions keep the 3x3 and 5x5 branches cheap. Like GoogLeNet it ends in global average pooling, not wide dense
 * layers. Input {@code image} f32 [batch, 1, 28, 28]; stem conv 3x3 → 32, pool → [32, 14, 14]; inception a → 64
 * channels, pool → [64, 7, 7]; inception b → 128; global average pool; dropout 0.3; output {@code logits} [batch, 10].
 */
public final class InceptionNet {
  private InceptionNet() {}

  /** The channels of one block's branches: 1x1, 3x3 reduce and 3x3, 5x5 reduce and 5x5, pool projection. */
  record Widths(int b1, int r3, int b3, int r5, int b5, int pool) {
    int out() { return b1 + b3 + b5 + pool; }
  }

  static final Widths A = new Widths(16, 16, 24, 8, 12, 12);
  static final Widths B = new Widths(32, 24, 48, 8, 24, 24);

  public static Model build(long seed) {
    return Model.define("inception_net", seed, m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 1, 28, 28);
      Tensor<F32> h = x.conv2d("stem", Conv.out(32).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2);
      h = inception(m, "inception_a", h, A).maxPool2d(2);
      h = inception(m, "inception_b", h, B);
      h = h.globalAvgPool().flatten().dropout(0.3);
      m.output("logits", h.linear("fc", 10));
    });
  }

  /** One Inception block on {@code x} [batch, C, H, W]: [batch, w.out(), H, W]. */
  static Tensor<F32> inception(ModelBuilder m, String name, Tensor<F32> x, Widths w) {
    return m.block(name, b -> {
      Tensor<F32> one = conv(x, "branch1", w.b1, 1);
      Tensor<F32> three = conv(conv(x, "branch3_reduce", w.r3, 1), "branch3", w.b3, 3);
      Tensor<F32> five = conv(conv(x, "branch5_reduce", w.r5, 1), "branch5", w.b5, 5);
      Tensor<F32> pool = conv(x.maxPool2d(Pool.kernel(3, 3).stride(1, 1).padding(Padding.SAME)), "pool_proj", w.pool, 1);
      return ModelBuilder.concat(1, one, three, five, pool);
    });
  }

  private static Tensor<F32> conv(Tensor<F32> x, String name, int out, int k) {
    return x.conv2d(name, Conv.out(out).kernel(k).padding(Padding.SAME)).relu();
  }
}
