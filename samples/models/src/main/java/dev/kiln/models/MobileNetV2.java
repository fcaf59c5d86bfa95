package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * torchvision's MobileNet-V2 ({@code torchvision.models.mobilenet_v2}, width 1.0) in the DSL, with parameter
 * names equal to torchvision's {@code state_dict} keys: the stem {@code features.0.0} (conv) /
 * {@code features.0.1} (BN); inverted residual blocks {@code features.N.conv.M...}, whose expansion and
 * depthwise steps are conv-BN-ReLU6 triples {@code conv.K.0}/{@code conv.K.1} followed by the projection
 * conv and its BN as plain indices; the last 1x1 stage {@code features.18}; the classifier {@code classifier.1}
 * (index 0 is dropout, identity at inference). Input {@code image} f32 [batch, channels, size, size], output
 * {@code logits}.
 */
public final class MobileNetV2 {
  /** torchvision's inverted residual settings: expansion t, output channels c, repeats n, first stride s. */
  static final long[][] SETTINGS = {
      {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  /** Channels after the stem and of the last 1x1 stage. */
  static final long STEM = 32, LAST = 1280;
  /** torchvision's classifier dropout. */
  static final double DROPOUT = 0.2;

  private MobileNetV2() {}

  /** A MobileNet-V2 for {@code channels} x {@code size} x {@code size} images and {@code classes} classes. */
  public static Model build(long seed, long channels, long size, long classes) {
    return Model.define("mobilenet_v2", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", channels, size, size);
      m.output("logits", forward(m, image, classes));
    });
  }

  /** The network applied to {@code x} [N, C, H, W]. */
  public static Tensor<F32> forward(ModelBuilder m, Tensor<F32> x, long classes) {
    Tensor<F32> h = m.block("features", f -> {
      Tensor<F32> y = convBnRelu6(m, "0", x, STEM, 3, 2, 1);
      long in = STEM;
      int index = 1;
      for (long[] s : SETTINGS) {
        for (int i = 0; i < s[2]; i++) {
          y = invertedResidual(m, String.valueOf(index++), y, in, s[1], i == 0 ? s[3] : 1, s[0]);
          in = s[1];
        }
      }
      return convBnRelu6(m, String.valueOf(index), y, LAST, 1, 1, 1);
    });
    Tensor<F32> pooled = h.globalAvgPool().flatten();
    return m.block("classifier", c -> pooled.dropout(DROPOUT).linear("1", classes));
  }

  /** torchvision's {@code InvertedResidual}: [1x1 expand] → 3x3 depthwise → 1x1 project → BN, plus the input when shapes allow. */
  static Tensor<F32> invertedResidual(ModelBuilder m, String name, Tensor<F32> x, long in, long out, long stride, long expand) {
    return m.block(name, b -> {
      Tensor<F32> y = m.block("conv", c -> {
        long hidden = in * expand;
        Tensor<F32> t = x;
        int i = 0;
        if (expand != 1) t = convBnRelu6(m, String.valueOf(i++), t, hidden, 1, 1, 1);
        t = convBnRelu6(m, String.valueOf(i++), t, hidden, 3, stride, hidden);
        t = t.conv2d(String.valueOf(i++), Conv.out(out).kernel(1).bias(false));
        return t.batchNorm(String.valueOf(i));
      });
      return stride == 1 && in == out ? x.add(y) : y;
    });
  }

  /** torchvision's {@code Conv2dNormActivation}: conv (no bias, "same" padding) as {@code 0}, BN as {@code 1}, ReLU6. */
  static Tensor<F32> convBnRelu6(ModelBuilder m, String name, Tensor<F32> x, long out, long kernel, long stride, long groups) {
    return m.block(name, b -> x.conv2d("0", Conv.out(out).kernel(kernel).stride(stride)
            .padding(Padding.explicit((kernel - 1) / 2)).groups(groups).bias(false))
        .batchNorm("1").clip(0, 6));
  }
}
