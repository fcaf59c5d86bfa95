package dev.kiln.dsl.kotlin.samples;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;

/** The Kotlin samples ({@code Samples.kt}) written with the Java API: both must give the same IR. */
public final class JavaSamples {
  private JavaSamples() {}

  /** x f32[batch, 784] -> fc1 256 -> relu -> fc2 10. */
  public static Model mlp(long seed) {
    return Model.build("mlp", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 784);
      return x.linear("fc1", 256).relu().linear("fc2", 10);
    });
  }

  /** x f32[batch, 1, 28, 28] -> features (conv 8 SAME, relu, pool 2, conv 16 stride 2, relu) -> flatten -> fc 10. */
  public static Model cnn(long seed) {
    return Model.build("cnn", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 1, 28, 28);
      Tensor<F32> features = m.block("features", b -> x
          .conv2d("c1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu()
          .maxPool2d(2)
          .conv2d("c2", Conv.out(16).kernel(3).stride(2)).relu());
      m.output("logits", features.flatten().linear("fc", 10));
      return null;
    });
  }
}
