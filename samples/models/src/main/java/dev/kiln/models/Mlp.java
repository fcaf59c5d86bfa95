package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.F32;

/**
 * A Fashion-MNIST-shaped multilayer perceptron: input {@code image} f32 [batch, 784] (a flattened
 * 28x28 picture), two hidden layers of 256 ReLU units, and output {@code logits} f32 [batch, 10],
 * one score per class (apply softmax outside the model for probabilities). Weights and biases start
 * uniform in +-1/sqrt(fan-in), PyTorch's default for {@code nn.Linear}; an optional {@link Standardize}
 * first standardises the input.
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

  /** The model with parameters initialised from {@code seed}, taking the input as it is. */
  public static Model build(long seed) { return build(seed, null); }

  /** The model with parameters initialised from {@code seed}, standardising its input first when {@code input} is given. */
  public static Model build(long seed, Standardize input) {
    return Model.define("mlp", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", INPUTS);
      Tensor<F32> x = input == null ? image : input.apply(image);
      Tensor<F32> h1 = dense(m, "fc1", x, HIDDEN).relu();
      Tensor<F32> h2 = dense(m, "fc2", h1, HIDDEN).relu();
      m.output("logits", dense(m, "fc3", h2, CLASSES));
    });
  }

  /** A linear layer with PyTorch's default init: weight and bias uniform in +-1/sqrt(fan-in). */
  static Tensor<F32> dense(ModelBuilder m, String name, Tensor<F32> x, long out) {
    return m.linear(name, x, out, true, Initializers.fanInUniform(), Initializers.fanInUniform());
  }
}
