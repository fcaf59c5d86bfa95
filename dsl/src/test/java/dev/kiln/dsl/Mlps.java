package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.types.F32;
import dev.kiln.spec.Dim;

/** The test MLP: x f32[batch, 784] -> fc1 256 -> relu -> fc2 10. */
final class Mlps {
  private Mlps() {}

  static Model mlp(long seed) {
    Dim batch = Dim.symbolic("batch");
    return Model.build("mlp", seed, m -> {
      Tensor<F32> x = m.input("x", F32, batch, 784);
      Tensor<F32> h = m.linear("fc1", x, 256).relu();
      return m.linear("fc2", h, 10);
    });
  }

  static Model mlp() { return mlp(Model.DEFAULT_SEED); }
}
