package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * An AlexNet-style net scaled to 28x28 greyscale images: what made AlexNet (Krizhevsky et al. 2012) is kept -- a large
 * first kernel, ReLU, overlapping max pooling (3x3, stride 2), five convolutions (the last three 3x3, stacked without
 * pooling) and two wide dropout-regularised dense layers -- at widths a CPU trains in minutes. Input {@code image} f32
 * [batch, 1, 28, 28]; conv 5x5 pad 2 → 32, pool → [32, 13, 13]; conv 5x5 pad 2 → 64, pool → [64, 6, 6]; conv 3x3 → 96,
 * 96, 64 (pad 1); pool → [64, 2, 2]; flatten 256; dense 256, dropout 0.5, dense 256, dropout 0.5; output {@code logits}
 * [batch, 10].
 */
public final class AlexNetStyle {
  private AlexNetStyle() {}

  public static Model build(long seed) {
    return Model.define("alexnet_style", seed, m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 1, 28, 28);
      Pool overlapping = Pool.kernel(3, 3).stride(2, 2);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(32).kernel(5).padding(Padding.explicit(2))).relu().maxPool2d(overlapping);
      h = h.conv2d("conv2", Conv.out(64).kernel(5).padding(Padding.explicit(2))).relu().maxPool2d(overlapping);
      h = h.conv2d("conv3", Conv.out(96).kernel(3).padding(Padding.explicit(1))).relu();
      h = h.conv2d("conv4", Conv.out(96).kernel(3).padding(Padding.explicit(1))).relu();
      h = h.conv2d("conv5", Conv.out(64).kernel(3).padding(Padding.explicit(1))).relu().maxPool2d(overlapping).flatten();
      h = h.linear("fc1", 256).relu().dropout(0.5);
      h = h.linear("fc2", 256).relu().dropout(0.5);
      m.output("logits", h.linear("fc3", 10));
    });
  }
}
