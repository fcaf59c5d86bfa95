package dev.kiln.dsl.kotlin.samples

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.kotlin.SAME
import dev.kiln.dsl.kotlin.conv2d
import dev.kiln.dsl.kotlin.linear
import dev.kiln.dsl.kotlin.model

/** The Kotlin samples; [JavaSamples] holds the same models written in Java. */
object Samples {
  /** x f32[batch, 784] -> fc1 256 -> relu -> fc2 10. */
  fun mlp(seed: Long = Model.DEFAULT_SEED): Model = model("mlp", seed) {
    val x = input("x", F32, "batch", 784)
    x.linear("fc1", 256).relu().linear("fc2", 10)
  }

  /** x f32[batch, 1, 28, 28] -> features (conv 8 SAME, relu, pool 2, conv 16 stride 2, relu) -> flatten -> fc 10. */
  fun cnn(seed: Long = Model.DEFAULT_SEED): Model = model("cnn", seed) {
    val x = input("x", F32, "batch", 1, 28, 28)
    val features = sequential(x, name = "features") {
      +conv2d("c1", out = 8, kernel = 3, padding = SAME)
      +relu()
      +maxPool2d(2)
      +conv2d("c2", out = 16, kernel = 3, stride = 2)
      +relu()
    }
    output("logits", features.flatten().linear("fc", 10))
  }
}
