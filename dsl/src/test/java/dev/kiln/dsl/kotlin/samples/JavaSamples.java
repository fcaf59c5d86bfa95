package dev.kiln.dsl.kotlin.samples;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.Conv2d;
import dev.kiln.dsl.layers.Linear;
import dev.kiln.dsl.layers.MaxPool2d;
import dev.kiln.dsl.types.F32;

/** The Kotlin samples ({@code Samples.kt}) written with the Java API as {@code docs/kotlin.md} shows them: both must give the same IR. */
public final class JavaSamples {
  private JavaSamples() {}

  /** x f32[batch, 784] -> fc1 256 -> relu -> fc2 10. */
  public static Model mlp(long seed) {
    return Model.build("mlp", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 784);
      return x.apply("fc1", Linear.of(256)).relu()
          .apply("fc2", Linear.of(10));
    });
  }

  /** x f32[batch, 1, 28, 28] -> features (conv 8 SAME, relu, pool 2, conv 16 stride 2, relu) -> flatten -> fc 10. */
  public static Model cnn(long seed) {
    return Model.define("cnn", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 1, 28, 28);
      Tensor<F32> features = m.block("features", b -> x
          .apply("c1", Conv2d.of(8, 3)
              .padding(Padding.SAME)).relu()
          .apply(MaxPool2d.of(2))
          .apply("c2", Conv2d.of(16, 3).stride(2))
          .relu());
      m.output("logits",
          features.flatten().apply("fc", Linear.of(10)));
    });
  }
}
