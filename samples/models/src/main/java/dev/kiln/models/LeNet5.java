package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * LeNet-5 for 28x28 greyscale images (ReLU and max pooling, as commonly modernised): input {@code image}
 * f32 [batch, 1, 28, 28]; conv 5x5 pad 2 → 6, relu, maxpool 2 → [6, 14, 14]; conv 5x5 → 16, relu,
 * maxpool 2 → [16, 5, 5]; flatten 400; linear 120, relu; linear 84, relu; output {@code logits} [batch, 10].
 * Kiln's default inits (He-uniform conv weights, Glorot-uniform dense weights, zero biases); an optional
 * {@link Standardize} first standardises the input. NOTE: PyTorch's default init (+-1/sqrt(fan-in))
 * measured here cost LeNet-5 about 2 points of test accuracy after 3 epochs (0.8609).
 */
public final class LeNet5 {
  private LeNet5() {}

  /** The model with parameters initialised from {@code seed}, taking the input as it is. */
  public static Model build(long seed) { return build(seed, null); }

  /** The model with parameters initialised from {@code seed}, standardising its input first when {@code input} is given. */
  public static Model build(long seed, Standardize input) {
    return Model.define("lenet5", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 1, 28, 28);
      m.output("logits", logits(input == null ? image : input.apply(image)));
    });
  }

  /** The layers on {@code image} [batch, 1, 28, 28], giving the logits [batch, 10]; for models that add to it. */
  public static Tensor<F32> logits(Tensor<F32> image) {
    Tensor<F32> h = image.conv2d("conv1", Conv.out(6).kernel(5).padding(Padding.explicit(2))).relu().maxPool2d(2);
    h = h.conv2d("conv2", Conv.out(16).kernel(5)).relu().maxPool2d(2).flatten();
    h = h.linear("fc1", 120).relu();
    h = h.linear("fc2", 84).relu();
    return h.linear("fc3", 10);
  }
}
