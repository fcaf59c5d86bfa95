package dev.kiln.samples.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.init.Initializers
import dev.kiln.dsl.kotlin.SAME
import dev.kiln.dsl.kotlin.linear
import dev.kiln.dsl.kotlin.model

/**
 * The Fashion-MNIST sample models written with the Kotlin DSL. The Java samples (`models/Mlp.java`) build
 * the same kind of graph with `Model.build`; these show the Kotlin form and are registered as
 * `kotlin-mlp` and `kotlin-cnn` in [dev.kiln.samples.Samples].
 */
object KotlinModels {
  /** Classes of Fashion-MNIST. */
  const val CLASSES = 10

  /**
   * MLP: `image` f32 [batch, 784] -> 256 ReLU -> 256 ReLU -> `logits` f32 [batch, 10]; the Kotlin twin of
   * the Java sample `mlp`.
   */
  @JvmStatic
  fun mlp(seed: Long): Model = model("kotlin_mlp", seed) {
    val image = input("image", F32, "batch", 784)
    // PyTorch's nn.Linear init, as the Java sample uses: weight and bias uniform in +-1/sqrt(fan-in).
    val init = Initializers.fanInUniform()
    output("logits", image.linear("fc1", 256, weightInit = init, biasInit = init).relu()
      .linear("fc2", 256, weightInit = init, biasInit = init).relu()
      .linear("fc3", CLASSES, weightInit = init, biasInit = init))
  }

  /**
   * Small CNN: `image` f32 [batch, 1, 28, 28] -> conv 3x3 SAME 16, ReLU, max-pool 2 -> conv 3x3 SAME 32,
   * ReLU, max-pool 2 -> flatten [batch, 32*7*7] -> `logits` f32 [batch, 10].
   */
  @JvmStatic
  fun cnn(seed: Long): Model = model("kotlin_cnn", seed) {
    val image = input("image", F32, "batch", 1, 28, 28)
    val features = sequential(image) {
      +conv2d("conv1", out = 16, kernel = 3, padding = SAME)
      +relu()
      +maxPool2d(2)
      +conv2d("conv2", out = 32, kernel = 3, padding = SAME)
      +relu()
      +maxPool2d(2)
      +flatten()
    }
    output("logits", features.linear("fc", CLASSES))
  }
}
