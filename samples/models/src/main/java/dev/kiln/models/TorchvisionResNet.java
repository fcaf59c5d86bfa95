package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import java.util.Map;

/**
 * torchvision's ResNet family ({@code torchvision.models.resnet18/34/50/101/152}) in the DSL, with parameter names
 * equal to torchvision's {@code state_dict} keys ({@code conv1.weight}, {@code bn1.running_mean},
 * {@code layer1.0.conv1.weight}, {@code layer2.0.downsample.0.weight}, {@code fc.weight}, ...). Depths 18 and 34
 * stack {@code BasicBlock}s (two 3x3 convolutions), 50, 101 and 152 {@code Bottleneck}s (1x1 reduce, 3x3 with the
 * stride, as torchvision's "ResNet v1.5", 1x1 expand to 4x the width). Input {@code image} f32
 * [batch, channels, size, size] (32 or more), output {@code logits} [batch, classes]; the head averages globally as
 * torchvision's {@code AdaptiveAvgPool2d((1, 1))} does. Built in training form (batch norm on batch statistics);
 * {@link Model#evalGraph()} and export use the running statistics.
 */
public final class TorchvisionResNet {
  /** Blocks per stage (layer1..layer4) by depth. */
  static final Map<Integer, int[]> LAYERS = Map.of(
      18, new int[] {2, 2, 2, 2}, 34, new int[] {3, 4, 6, 3},
      50, new int[] {3, 4, 6, 3}, 101, new int[] {3, 4, 23, 3}, 152, new int[] {3, 8, 36, 3});
  /** Channels of each stage's 3x3 convolutions; stages 2-4 halve the resolution in their first block. */
  static final long[] WIDTHS = {64, 128, 256, 512};
  /** A bottleneck block's output channels per 3x3 channel. */
  static final long EXPANSION = 4;

  private TorchvisionResNet() {}

  /** torchvision's ResNet-{@code depth} (18, 34, 50, 101 or 152) for {@code channels} x {@code size} x {@code size} images. */
  public static Model build(int depth, long seed, long channels, long size, long classes) {
    int[] layers = LAYERS.get(depth);
    if (layers == null) throw new IllegalArgumentException("ResNet depth must be one of " + LAYERS.keySet() + ", got " + depth);
    return Model.define("resnet" + depth, seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", channels, size, size);
      m.output("logits", forward(m, image, layers, depth >= 50, classes));
    });
  }

  /** The network applied to {@code x} [N, C, H, W]: the stem, four stages, the classifier. */
  static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, int[] layers, boolean bottleneck, long classes) {
    Tensor<F32> h = x.conv2d("conv1", Conv.out(64).kernel(7).stride(2).padding(Padding.explicit(3)).bias(false))
        .batchNorm("bn1").relu()
        .maxPool2d(Pool.kernel(3).stride(2).padding(Padding.explicit(1)));
    long in = 64;
    for (int stage = 0; stage < WIDTHS.length; stage++) {
      long width = WIDTHS[stage];
      long stride = stage == 0 ? 1 : 2;
      long out = bottleneck ? width * EXPANSION : width;
      int blocks = layers[stage];
      long stageIn = in;
      Tensor<F32> s = h;
      h = m.block("layer" + (stage + 1), b -> {
        Tensor<F32> y = s;
        for (int k = 0; k < blocks; k++) {
          long blockIn = k == 0 ? stageIn : out;
          long blockStride = k == 0 ? stride : 1;
          y = bottleneck ? bottleneck(m, String.valueOf(k), y, blockIn, width, blockStride)
              : ResNet18.basicBlock(m, String.valueOf(k), y, blockIn, width, blockStride);
        }
        return y;
      });
      in = out;
    }
    return h.globalAvgPool().flatten().linear("fc", classes);
  }

  /**
   * torchvision's {@code Bottleneck}: conv1x1 → bn → relu → conv3x3(stride) → bn → relu → conv1x1 (4x width) → bn,
   * plus the input (through {@code downsample} = conv1x1(stride) → bn when the shape changes), then relu.
   */
  static Tensor<F32> bottleneck(ModelBuilder m, String name, Tensor<F32> x, long in, long width, long stride) {
    long out = width * EXPANSION;
    return m.block(name, b -> {
      Tensor<F32> y = x.conv2d("conv1", Conv.out(width).kernel(1).bias(false)).batchNorm("bn1").relu();
      y = y.conv2d("conv2", Conv.out(width).kernel(3).stride(stride).padding(Padding.explicit(1)).bias(false))
          .batchNorm("bn2").relu();
      y = y.conv2d("conv3", Conv.out(out).kernel(1).bias(false)).batchNorm("bn3");
      Tensor<F32> identity = x;
      if (stride != 1 || in != out) {
        identity = m.block("downsample", d -> x.conv2d("0", Conv.out(out).kernel(1).stride(stride).bias(false)).batchNorm("1"));
      }
      return y.add(identity).relu();
    });
  }
}
