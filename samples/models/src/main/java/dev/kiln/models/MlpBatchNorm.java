package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/**
 * A multilayer perceptron with batch normalisation, PyTorch's {@code fc1 = Linear(in, hidden)},
 * {@code bn = BatchNorm1d(hidden)}, ReLU, {@code fc2 = Linear(hidden, classes)}. Input {@code x} f32 [batch, in],
 * output {@code logits}. The
 * training graph normalises with batch statistics and updates the running ones; the eval graph and the
 * ONNX export use the running statistics, as PyTorch's {@code model.eval()} does.
 */
public final class MlpBatchNorm {
  private MlpBatchNorm() {}

  /** The model with parameters initialised from {@code seed}. */
  public static Model build(long seed, long in, long hidden, long classes) {
    return Model.define("mlp_bn", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", in);
      Tensor<F32> h = x.linear("fc1", hidden).batchNorm("bn").relu();
      m.output("logits", h.linear("fc2", classes));
    });
  }
}
