package dev.kiln.runtime.train.kotlin

import dev.kiln.dsl.Model
import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.train.GraphSource
import dev.kiln.runtime.train.History
import dev.kiln.runtime.train.Trainer
import dev.kiln.runtime.train.TrainerBuilder

/**
 * Trains [model] on [data] and returns the per-epoch [History]; the Kotlin form of
 * `Trainer.builder(model)...build()` followed by `fit(data, validation, epochs, batchSize)`.
 *
 * ```
 * val history = train(model, data) {
 *   optimizer = adam(lr = 1e-3); loss = crossEntropy(); epochs = 5; batchSize = 128
 *   validation = valData; metrics(accuracy()); callbacks { earlyStopping(patience = 3) }
 * }
 * ```
 * The trainer is closed on return, trained weights included: to keep them (export, evaluate, predict)
 * use [trainer] with [fit], or read them in [TrainScope.afterFit].
 */
fun train(model: Model, data: Dataset, body: TrainScope.() -> Unit): History = trainAndClose(Trainer.builder(model), data, body)

/** [train] for a model whose graph depends on the training flag (dropout, batch norm). */
fun train(source: GraphSource, data: Dataset, body: TrainScope.() -> Unit): History = trainAndClose(Trainer.builder(source), data, body)

private fun trainAndClose(builder: TrainerBuilder, data: Dataset, body: TrainScope.() -> Unit): History {
  val scope = TrainScope().apply(body)
  return scope.configure(builder).build().use { t ->
    t.fit(data, validation = scope.validation, epochs = scope.epochs, batchSize = scope.batchSize)
      .also { scope.afterFit?.invoke(t) }
  }
}

/**
 * A configured [Trainer] for [model]; the Kotlin form of `Trainer.builder(model)...build()`. Close it
 * when done: `trainer(m) { ... }.use { t -> t.fit(data, epochs = 5) ... }`.
 */
fun trainer(model: Model, body: TrainerScope.() -> Unit): Trainer =
  TrainerScope().apply(body).configure(Trainer.builder(model)).build()

/** [trainer] for a model whose graph depends on the training flag (dropout, batch norm). */
fun trainer(source: GraphSource, body: TrainerScope.() -> Unit): Trainer =
  TrainerScope().apply(body).configure(Trainer.builder(source)).build()

/**
 * The Java [TrainerBuilder] configured by [body], not yet built: for settings the DSL does not wrap,
 * `trainerBuilder(m) { ... }.someJavaOption(...).build()`.
 */
fun trainerBuilder(model: Model, body: TrainerScope.() -> Unit): TrainerBuilder =
  TrainerScope().apply(body).configure(Trainer.builder(model))

/**
 * [Trainer.fit] with named arguments: [epochs] epochs of shuffled batches of [batchSize], validating on
 * [validation] (when given) after each. Defaults: 1 epoch, batches of 32.
 */
fun Trainer.fit(data: Dataset, validation: Dataset? = null, epochs: Int = 1, batchSize: Int = 32): History =
  fit(data, validation, epochs, batchSize)
