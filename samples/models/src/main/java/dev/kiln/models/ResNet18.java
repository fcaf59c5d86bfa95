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
 * torchvision's ResNet-18 ({@code torchvision.models.resnet18}) written in the DSL, with parameter names equal
 * to torchvision's {@code state_dict} keys ({@code conv1.weight}, {@code bn1.running_mean},
 * {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight}, {@code fc.weight}, ...), so its weights
 * bind with no rename rule; the BatchNorm {@code num_batches_tracked} counters, which Kiln does not keep, are
 * skipped by {@link dev.kiln.interop.torch.Weights}. Input {@code image} f32 [batch, channels, size, size]
 * (torchvision's normalised RGB), output {@code logits} [batch, classes]. Any input size of 32 or more works:
 * the head averages globally, as torchvision's {@code AdaptiveAvgPool2d((1, 1))} does.
 */
public final class ResNet18 {
  /** Channels of each stage (layer1..layer4); stages 2-4 halve the resolution in their first block. */
  static final long[] WIDTHS = {64, 128, 256, 512};

  private ResNet18() {}

  /** The ImageNet-shaped model: 3 x 224 x 224 inputs, 1000 classes, parameters initialised from {@code seed}. */
  public static Model build(long seed) { return build(seed, 3, 224, 1000); }

  /** A ResNet-18 for {@code channels} x {@code size} x {@code size} images and {@code classes} classes. */
  public static Model build(long seed, long channels, long size, long classes) {
    return Model.define("resnet18", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", channels, size, size);
      m.output("logits", forward(m, image, classes));
    });
  }

  /** The network applied to {@code x} [N, C, H, W]: the stem, four stages of two basic blocks, the classifier. */
  public static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, long classes) {
    Tensor<F32> h = x.conv2d("conv1", Conv.out(64).kernel(7).stride(2).padding(Padding.explicit(3)).bias(false))
        .batchNorm("bn1").relu()
        .maxPool2d(Pool.kernel(3).stride(2).padding(Padding.explicit(1)));
    long in = 64;
    for (int stage = 0; stage < WIDTHS.length; stage++) {
      long width = WIDTHS[stage];
      long stride = stage == 0 ? 1 : 2;
      long inC = in;
      Tensor<F32> s = h;
      h = m.block("layer" + (stage + 1), b -> {
        Tensor<F32> y = basicBlock(m, "0", s, inC, width, stride);
        return basicBlock(m, "1", y, width, width, 1);
      });
      in = width;
    }
    return h.globalAvgPool().flatten().linear("fc", classes);
  }

  /**
   * torchvision's {@code BasicBlock}: conv3x3(stride) → bn → relu → conv3x3 → bn, plus the input (through
   * {@code downsample} = conv1x1(stride) → bn when the shape changes), then relu.
   */
  static Tensor<F32> basicBlock(ModelBuilder m, String name, Tensor<F32> x, long in, long out, long stride) {
    return m.block(name, b -> {
      Tensor<F32> y = x.conv2d("conv1", conv3x3(out, stride)).batchNorm("bn1").relu();
      y = y.conv2d("conv2", conv3x3(out, 1)).batchNorm("bn2");
      Tensor<F32> identity = x;
      if (stride != 1 || in != out) {
        identity = m.block("downsample", d -> x.conv2d("0", Conv.out(out).kernel(1).stride(stride).bias(false)).batchNorm("1"));
      }
      return y.add(identity).relu();
    });
  }

  private static Conv conv3x3(long out, long stride) {
    return Conv.out(out).kernel(3).stride(stride).padding(Padding.explicit(1)).bias(false);
  }
}
