package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import java.util.List;

/**
 * torchvision's GoogLeNet / Inception v1 ({@code torchvision.models.googlenet}) in the DSL, with parameter names
 * equal to torchvision's {@code state_dict} keys: {@code BasicConv2d} units (conv without bias, batch norm with
 * epsilon 0.001, ReLU) named {@code conv1}, {@code conv2}, {@code conv3} and, inside the nine Inception blocks
 * {@code inception3a} .. {@code inception5b}, {@code branch1}, {@code branch2.0}/{@code .1}, {@code branch3.0}/{@code .1}
 * and {@code branch4.1} (branch 4's index 0 is its max pool), each holding {@code conv.weight} and
 * {@code bn.weight/bias/running_mean/running_var}; the classifier {@code fc}. Max pools round up
 * ({@code ceil_mode=True}), and branch 3 uses a 3x3 convolution where the paper has 5x5, both as torchvision does.
 *
 * <p>NO AUXILIARY HEADS: torchvision's {@code aux1}/{@code aux2} classifiers only add training losses and are
 * skipped at inference; this model has none. A torchvision state_dict saved with {@code aux_logits=True} (as the
 * pretrained ImageNet one is) carries {@code aux1.*}/{@code aux2.*} keys: load it with
 * {@code LoadOptions.defaults().ignore(GoogLeNet.AUX_KEYS)} (kiln-interop), which skips them and stays strict
 * about the rest. {@code transform_input} (the pretrained weights' input re-scaling) is
 * not applied either: feed images normalised as torchvision's transforms do. Input {@code image} f32
 * [batch, 3, size, size] (32 or more), output {@code logits} [batch, classes].
 */
public final class GoogLeNet {
  /** A regular expression matching the keys of torchvision's auxiliary classifiers, which this model does not have. */
  public static final String AUX_KEYS = "aux[12]\\..*";
  /** torchvision's {@code BasicConv2d} batch-norm epsilon. */
  static final double BN_EPSILON = 0.001;
  /** torchvision's batch-norm momentum (the default). */
  static final double BN_MOMENTUM = 0.1;
  /** torchvision's classifier dropout. */
  static final double DROPOUT = 0.2;

  /** One Inception block's widths, as torchvision's {@code Inception(in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)}. */
  record Widths(String name, long b1, long r3, long b3, long r5, long b5, long pool) {}

  /** The nine blocks; a max pool follows 3b and 4e. */
  static final List<Widths> BLOCKS = List.of(
      new Widths("inception3a", 64, 96, 128, 16, 32, 32), new Widths("inception3b", 128, 128, 192, 32, 96, 64),
      new Widths("inception4a", 192, 96, 208, 16, 48, 64), new Widths("inception4b", 160, 112, 224, 24, 64, 64),
      new Widths("inception4c", 128, 128, 256, 24, 64, 64), new Widths("inception4d", 112, 144, 288, 32, 64, 64),
      new Widths("inception4e", 256, 160, 320, 32, 128, 128), new Widths("inception5a", 256, 160, 320, 32, 128, 128),
      new Widths("inception5b", 384, 192, 384, 48, 128, 128));

  private GoogLeNet() {}

  /** The ImageNet-shaped model: 3 x 224 x 224 inputs, 1000 classes, parameters initialised from {@code seed}. */
  public static Model build(long seed) { return build(seed, 224, 1000); }

  /** GoogLeNet for 3 x {@code size} x {@code size} images and {@code classes} classes. */
  public static Model build(long seed, long size, long classes) {
    return Model.define("googlenet", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 3, size, size);
      m.output("logits", forward(m, image, classes));
    });
  }

  /** The network applied to {@code x} [N, 3, H, W]. */
  public static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, long classes) {
    Pool down = Pool.kernel(3).stride(2).ceil(true);
    Tensor<F32> h = basicConv(m, "conv1", x, 64, 7, 2, 3).maxPool2d(down);
    h = basicConv(m, "conv2", h, 64, 1, 1, 0);
    h = basicConv(m, "conv3", h, 192, 3, 1, 1).maxPool2d(down);
    for (Widths w : BLOCKS) {
      h = inception(m, h, w);
      if (w.name().equals("inception3b")) h = h.maxPool2d(down);
      if (w.name().equals("inception4e")) h = h.maxPool2d(Pool.kernel(2).stride(2).ceil(true));
    }
    return h.globalAvgPool().flatten().dropout(DROPOUT).linear("fc", classes);
  }

  /** torchvision's {@code Inception}: four branches over {@code x}, concatenated on the channel axis. */
  static Tensor<F32> inception(ModelBuilder m, Tensor<F32> x, Widths w) {
    return m.block(w.name(), b -> {
      Tensor<F32> one = basicConv(m, "branch1", x, w.b1(), 1, 1, 0);
      Tensor<F32> three = m.block("branch2", s -> basicConv(m, "1", basicConv(m, "0", x, w.r3(), 1, 1, 0), w.b3(), 3, 1, 1));
      Tensor<F32> five = m.block("branch3", s -> basicConv(m, "1", basicConv(m, "0", x, w.r5(), 1, 1, 0), w.b5(), 3, 1, 1));
      Tensor<F32> pooled = x.maxPool2d(Pool.kernel(3).stride(1).padding(Padding.explicit(1)).ceil(true));
      Tensor<F32> pool = m.block("branch4", s -> basicConv(m, "1", pooled, w.pool(), 1, 1, 0));
      return ModelBuilder.concat(1, one, three, five, pool);
    });
  }

  /** torchvision's {@code BasicConv2d}: {@code conv} (no bias), {@code bn} (epsilon 0.001), ReLU. */
  static Tensor<F32> basicConv(ModelBuilder m, String name, Tensor<F32> x, long out, long kernel, long stride, long pad) {
    return m.block(name, b -> x.conv2d("conv", Conv.out(out).kernel(kernel).stride(stride).padding(Padding.explicit(pad)).bias(false))
        .batchNorm("bn", BN_EPSILON, BN_MOMENTUM).relu());
  }
}
