package dev.kiln.samples.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * A Fashion-MNIST-shaped multilayer perceptron: input {@code image} f32 [batch, 784] (a flattened
 * 28x28 picture), two hidden layers of 256 ReLU units, and output {@code logits} f32 [batch, 10],
 * one score per class (apply softmax outside the model for probabilities).
 */
public final class Mlp {
  /** Pixels per flattened image. */
  public static final long INPUTS = 784;
  /** Units per hidden layer. */
  public static final long HIDDEN = 256;
  /** Fashion-MNIST classes. */
  public static final long CLASSES = 10;

  private Mlp() {}

  /** The model with parameters initialised from {@link Model#DEFAULT_SEED}. */
  public static Model build() { return build(Model.DEFAULT_SEED); }

  /** The model with parameters initialised from {@code seed}. */
  public static Model build(long seed) {
    return Model.build("mlp", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", INPUTS);
      Tensor<F32> h1 = image.linear("fc1", HIDDEN).relu();
      Tensor<F32> h2 = h1.linear("fc2", HIDDEN).relu();
      m.output("logits", h2.linear("fc3", CLASSES));
      return null;
    });
  }
}
