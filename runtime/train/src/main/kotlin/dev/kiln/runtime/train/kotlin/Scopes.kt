package dev.kiln.runtime.train.kotlin

import dev.kiln.dsl.kotlin.KilnDsl
import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.train.EarlyStopping
import dev.kiln.runtime.train.GradientClipping
import dev.kiln.runtime.train.LearningRateSchedule
import dev.kiln.runtime.train.Loss
import dev.kiln.runtime.train.Metric
import dev.kiln.runtime.train.Regularization
import dev.kiln.runtime.train.Trainer
import dev.kiln.runtime.train.TrainerBuilder
import dev.kiln.runtime.train.TrainingCallback
import dev.kiln.spec.DType
import dev.kiln.spec.KilnException

/**
 * The receiver of [trainer]: each property is one `TrainerBuilder` call, made when the trainer is built.
 * Unset properties are not passed, so the Java builder's defaults and checks apply (it requires a loss, an
 * optimizer and a learning rate).
 */
@KilnDsl
open class TrainerScope internal constructor() {
  /** The loss, e.g. `crossEntropy()`; `TrainerBuilder.loss`. */
  var loss: Loss? = null

  /** The model output the loss reads (`TrainerBuilder.loss(loss, output, labelInput)`). */
  var output: String = "output"

  /** The name under which the labels are fed to the loss. */
  var labelInput: String = "labels"

  /** The optimizer and, optionally, its learning rate: `adam(lr = 1e-3)`, `sgd(lr = 0.1)`. */
  var optimizer: OptimizerChoice? = null

  /** A learning-rate schedule (`TrainerBuilder.schedule`); give it or the optimizer's `lr`, not both. */
  var schedule: LearningRateSchedule? = null

  /** The seed of the epoch shuffles (`TrainerBuilder.seed`); null: the Java default. */
  var seed: Long? = null

  /** A gradient transform such as `clipByGlobalNorm(1.0)` (`TrainerBuilder.clipping`). */
  var clipping: GradientClipping? = null

  /** A penalty added to the loss such as `l2(1e-4)` (`TrainerBuilder.regularization`). */
  var regularization: Regularization? = null

  private val metrics = mutableListOf<Metric>()
  private val callbacks = mutableListOf<TrainingCallback>()
  private var labelType: Pair<DType, LongArray>? = null

  /** Metrics reported by evaluation and validation, e.g. `metrics(accuracy(), topK(5))`. */
  fun metrics(vararg m: Metric) {
    metrics += m
  }

  /** Training callbacks: `callbacks { earlyStopping(patience = 3); +myCallback }`. */
  fun callbacks(body: CallbacksScope.() -> Unit) {
    callbacks += CallbacksScope().apply(body).added
  }

  /**
   * Declares the labels' dtype and per-example shape so the train step compiles when the trainer is built
   * (`TrainerBuilder.labels`), e.g. `labels(DType.I64)` for class ids.
   */
  fun labels(dtype: DType, vararg perExample: Long) {
    labelType = dtype to perExample
  }

  /** Passes every property that was set to [b]. */
  internal fun configure(b: TrainerBuilder): TrainerBuilder {
    loss?.let { b.loss(it, output, labelInput) }
    optimizer?.let { b.optimizer(it.optimizer) }
    val lr = optimizer?.learningRate
    if (lr != null && schedule != null) {
      throw KilnException("give the learning rate once: the optimizer's lr = $lr or schedule, not both")
    }
    (schedule ?: lr)?.let { b.schedule(it) }
    seed?.let { b.seed(it) }
    labelType?.let { (d, s) -> b.labels(d, *s) }
    if (metrics.isNotEmpty()) b.metrics(*metrics.toTypedArray())
    if (callbacks.isNotEmpty()) b.callbacks(*callbacks.toTypedArray())
    clipping?.let { b.clipping(it) }
    regularization?.let { b.regularization(it) }
    return b
  }
}

/** The receiver of [train]: the trainer's settings plus how to fit. */
@KilnDsl
class TrainScope internal constructor() : TrainerScope() {
  /** Passes over the data (`Trainer.fit`'s epochs). */
  var epochs: Int = 1

  /** Examples per step (`Trainer.fit`'s batch size). */
  var batchSize: Int = 32

  /** Data evaluated after each epoch (`val_loss`, `val_<metric>`); none by default. */
  var validation: Dataset? = null

  internal var afterFit: ((Trainer) -> Unit)? = null

  /** Runs [body] with the trained trainer before [train] closes it: export, evaluate, predict. */
  fun afterFit(body: (Trainer) -> Unit) {
    afterFit = body
  }
}

/** The receiver of `callbacks { }`. */
@KilnDsl
class CallbacksScope internal constructor() {
  internal val added = mutableListOf<TrainingCallback>()

  /** Adds any callback: `+myCallback`. */
  operator fun TrainingCallback.unaryPlus() {
    added += this
  }

  /**
   * Stops when [monitor] has not improved by more than [minDelta] for [patience] epochs, restoring the
   * best epoch's weights at the end unless [restoreBest] is false; see [EarlyStopping].
   */
  fun earlyStopping(patience: Int, monitor: String = "val_loss", minDelta: Double = 0.0, restoreBest: Boolean = true): EarlyStopping =
    EarlyStopping(monitor, patience, minDelta, restoreBest).also { added += it }
}
