package dev.kiln.runtime.train

import dev.kiln.runtime.train.kotlin.accuracy
import dev.kiln.runtime.train.kotlin.adam
import dev.kiln.runtime.train.kotlin.crossEntropy
import dev.kiln.runtime.train.kotlin.rmsprop
import dev.kiln.runtime.train.kotlin.sgd
import dev.kiln.runtime.train.kotlin.topK
import dev.kiln.runtime.train.kotlin.trainerBuilder
import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.kotlin.linear
import dev.kiln.dsl.kotlin.model
import dev.kiln.spec.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

private fun classifier(): Model = model("clf", seed = 7) {
  input("x", F32, "batch", 4).linear("fc1", 8).relu().linear("fc2", 3)
}

/**
 * The DSL configures the Java builder exactly as the equivalent Java calls do (read through the builder's
 * package-private fields, hence this package).
 */
class TrainerScopeConfigTest : FunSpec({
  test("every DSL property lands in the matching TrainerBuilder setting") {
    val b = trainerBuilder(classifier()) {
      optimizer = adam(lr = 3e-4, weightDecay = 1e-2)
      loss = crossEntropy(classWeights = doubleArrayOf(1.0, 2.0, 3.0), labelSmoothing = 0.05)
      output = "output"
      labelInput = "y"
      seed = 99
      labels(DType.I64)
      metrics(accuracy(), topK(2))
      callbacks { earlyStopping(patience = 2, monitor = "val_accuracy") }
    }
    val j = Trainer.builder(classifier())
      .loss(Losses.softmaxCrossEntropy(Reduction.MEAN).weights(1.0, 2.0, 3.0).labelSmoothing(0.05), "output", "y")
      .optimizer(Optimizers.adam(0.9, 0.999, 1e-8, 1e-2)).learningRate(3e-4).seed(99).labels(DType.I64)
    b.optimizer shouldBe j.optimizer
    b.loss.toString() shouldBe j.loss.toString()
    b.outputName shouldBe j.outputName
    b.labelInput shouldBe j.labelInput
    b.labelType shouldBe j.labelType
    b.seed shouldBe j.seed
    for (epoch in 0..3) for (step in longArrayOf(0, 7, 1000)) b.schedule.rate(epoch, step) shouldBe j.schedule.rate(epoch, step)
    b.metrics.map { it.name() } shouldContainExactly listOf("accuracy", "top2_accuracy")
    b.callbacks.single().shouldBeInstanceOf<EarlyStopping>()
  }

  test("the optimizer factories are the Java factories with PyTorch's defaults") {
    trainerBuilder(classifier()) { optimizer = adam() }.optimizer shouldBe Optimizers.adam(0.9, 0.999, 1e-8)
    trainerBuilder(classifier()) { optimizer = adam(decoupledWeightDecay = 0.01) }.optimizer shouldBe
      Optimizers.adamw(0.9, 0.999, 1e-8, 0.01)
    trainerBuilder(classifier()) { optimizer = sgd() }.optimizer shouldBe Optimizers.sgd()
    trainerBuilder(classifier()) { optimizer = sgd(momentum = 0.9, nesterov = true) }.optimizer shouldBe Optimizers.nesterov(0.9)
    trainerBuilder(classifier()) { optimizer = rmsprop() }.optimizer shouldBe Optimizers.rmsprop(0.99, 1e-8)
  }
})
