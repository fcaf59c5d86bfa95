package dev.kiln.runtime.train.kotlin

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.kotlin.linear
import dev.kiln.dsl.kotlin.model
import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.train.EarlyStopping
import dev.kiln.runtime.train.GradientClipping
import dev.kiln.runtime.train.Losses
import dev.kiln.runtime.train.Optimizers
import dev.kiln.runtime.train.Reduction
import dev.kiln.runtime.train.Regularization
import dev.kiln.runtime.train.TrainStep
import dev.kiln.runtime.train.Trainer
import dev.kiln.runtime.train.TrainingCallback
import dev.kiln.spec.DType
import dev.kiln.spec.HostTensor
import dev.kiln.spec.KilnException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.util.Random

/** Three Gaussian blobs in 4-D, labelled by blob: a classifier reaches high accuracy in a few steps. */
internal fun blobs(n: Int, seed: Long): Dataset {
  val r = Random(seed)
  val centres = arrayOf(doubleArrayOf(2.0, 0.0, 0.0, 0.0), doubleArrayOf(0.0, 2.0, 0.0, 0.0), doubleArrayOf(0.0, 0.0, 2.0, 0.0))
  val x = FloatArray(n * 4)
  val y = LongArray(n)
  for (i in 0 until n) {
    val c = i % 3
    y[i] = c.toLong()
    for (k in 0 until 4) x[i * 4 + k] = (centres[c][k] + 0.5 * r.nextGaussian()).toFloat()
  }
  return Dataset(HostTensor.ofFloats(x, n.toLong(), 4), HostTensor.ofLongs(y, n.toLong()))
}

internal fun classifier(): Model = model("clf", seed = 7) {
  input("x", F32, "batch", 4).linear("fc1", 8).relu().linear("fc2", 3)
}

/** The training DSL end to end on TensorFlow, and against the same run written with the Java builder. */
class TrainDslTest : FunSpec({
  val data = blobs(96, 1)
  val valData = blobs(48, 2)

  test("a tiny model trains a few steps: the loss falls, validation is reported, the history has every epoch") {
    val history = train(classifier(), data) {
      optimizer = adam(lr = 0.05)
      loss = crossEntropy()
      epochs = 4
      batchSize = 16
      seed = 3
      validation = valData
      metrics(accuracy())
      callbacks { earlyStopping(patience = 3) }
    }
    history.size() shouldBe 4
    val loss = history.column("loss")
    loss.last() shouldBeLessThan loss.first()
    history.column("val_loss").all { it.isFinite() } shouldBe true
    history.last().get("val_accuracy") shouldBeGreaterThan 0.9
  }

  test("the DSL run equals the same run written with the Java builder, step for step") {
    val dsl = trainer(classifier()) {
      optimizer = sgd(lr = 0.1, momentum = 0.9)
      loss = crossEntropy(labelSmoothing = 0.1)
      seed = 5
      metrics(accuracy())
      clipping = clipByGlobalNorm(0.5)
      regularization = l2(1e-3)
    }
    val java = Trainer.builder(classifier())
      .loss(Losses.softmaxCrossEntropy(Reduction.MEAN).labelSmoothing(0.1), "output")
      .optimizer(Optimizers.momentum(0.9, 0.0, 0.0)).learningRate(0.1).seed(5)
      .clipping(GradientClipping.byGlobalNorm(0.5))
      .regularization(Regularization.l2(1e-3))
      .build()
    dsl.use { d ->
      java.use { j ->
        val hd = d.fit(data, validation = valData, epochs = 3, batchSize = 16)
        val jl = j.fit(data, valData, 3, 16)
        hd.column("loss").toList() shouldContainExactly jl.column("loss").toList()
        hd.column("val_loss").toList() shouldContainExactly jl.column("val_loss").toList()
        val vd = d.variables()
        val vj = j.variables()
        vd.keys shouldBe vj.keys
        for (k in vd.keys) vd.getValue(k).toDoubles().toList() shouldContainExactly vj.getValue(k).toDoubles().toList()
        d.evaluate(valData, 48).getValue("accuracy") shouldBeGreaterThan 0.9
      }
    }
  }

  test("fit's defaults are one epoch of batches of 32") {
    trainer(classifier()) { optimizer = adam(lr = 1e-3); loss = crossEntropy() }.use { t ->
      t.fit(data).size() shouldBe 1
      t.step() shouldBe 3L // 96 examples / 32
    }
  }

  test("earlyStopping stops when the monitored value stops improving by minDelta") {
    lateinit var stopper: EarlyStopping
    val history = train(classifier(), data) {
      optimizer = adam(lr = 1e-3)
      loss = crossEntropy()
      epochs = 10
      // The first epoch improves on +inf; no later one can improve by 1e9.
      callbacks { stopper = earlyStopping(patience = 0, monitor = "loss", minDelta = 1e9) }
    }
    history.size() shouldBe 2
    stopper.bestEpoch() shouldBe 1
  }

  test("callbacks { +callback } adds any TrainingCallback; afterFit sees the trained trainer") {
    var epochsSeen = 0
    var trainedSteps = 0L
    var trainedWeight: List<Double> = emptyList()
    train(classifier(), data) {
      optimizer = adam(lr = 1e-2)
      loss = crossEntropy()
      epochs = 2
      batchSize = 48
      callbacks {
        +object : TrainingCallback {
          override fun onFitEnd(trainer: Trainer) {
            epochsSeen = trainer.epochs()
          }
        }
      }
      afterFit { t ->
        trainedSteps = t.step()
        trainedWeight = t.model().graph().parameter("fc1.weight").orElseThrow().initial().toDoubles().toList()
      }
    }
    epochsSeen shouldBe 2
    trainedSteps shouldBe 4L
    trainedWeight shouldNotBe classifier().graph().parameter("fc1.weight").orElseThrow().initial().toDoubles().toList()
  }

  test("the learning rate is given once: both the optimizer's lr and a schedule is an error") {
    val e = shouldThrow<KilnException> {
      trainer(classifier()) { optimizer = adam(lr = 1e-3); schedule = cosine(1e-3, totalSteps = 10); loss = crossEntropy() }
    }
    e.message shouldContain "give the learning rate once"
  }

  test("what the DSL leaves unset reaches the Java builder's own checks") {
    shouldThrow<KilnException> { trainer(classifier()) { optimizer = adam(lr = 1e-3) } }.message shouldContain "needs a loss"
    shouldThrow<KilnException> { trainer(classifier()) { loss = crossEntropy(); optimizer = adam() } }
      .message shouldContain "needs a learning rate"
  }

  test("a schedule drives the rate; labels(...) compiles the step when the trainer is built") {
    trainer(classifier()) {
      optimizer = sgd()
      schedule = stepDecay(0.1, every = 1, factor = 0.5)
      loss = crossEntropy()
      labels(DType.I64)
    }.use { t ->
      // Compiled at build: the variables (parameters) exist before any fit.
      t.variables().keys shouldContain "fc1.weight"
      t.fit(data, epochs = 2, batchSize = 96).column("loss").all { it.isFinite() } shouldBe true
    }
  }
})
