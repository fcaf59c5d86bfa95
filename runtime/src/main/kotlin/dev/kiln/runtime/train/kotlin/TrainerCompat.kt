package dev.kiln.runtime.train.kotlin

import dev.kiln.runtime.data.Dataset
import dev.kiln.runtime.train.EpochRecord
import dev.kiln.runtime.train.EvalMetric
import dev.kiln.runtime.train.GradientClipping
import dev.kiln.runtime.train.History
import dev.kiln.runtime.train.Metric
import dev.kiln.runtime.train.Regularization
import dev.kiln.runtime.train.TrainStep
import dev.kiln.runtime.train.Trainer
import dev.kiln.runtime.train.TrainerBuilder

// TEMPORARY (delete at merge with branch train-finish): today's trainer still takes EvalMetric, returns
// FitLog and takes TrainStep.GradientTransform / Penalty; the finished trainer takes Metric, returns History
// and takes GradientClipping / Regularization. The DSL is written against the finished types; these four
// bridges are the only place that knows the old ones. At merge each body becomes the plain call:
//   addMetrics: b.metrics(*ms.toTypedArray())       fitHistory: t.fit(data, validation, epochs, batchSize)
//   addClipping: b.clipping(c)                       addRegularization: b.regularization(r)

internal fun addMetrics(b: TrainerBuilder, ms: List<Metric>) {
  b.metrics(*ms.map { m ->
    object : EvalMetric {
      override fun name(): String = m.name()
      override fun reset() = m.reset()
      override fun update(prediction: dev.kiln.spec.HostTensor, labels: dev.kiln.spec.HostTensor) = m.update(prediction, labels)
      override fun result(): Double = m.result()
    }
  }.toTypedArray())
}

internal fun addClipping(b: TrainerBuilder, c: GradientClipping) {
  b.clipping(TrainStep.GradientTransform { g, _, grads -> c.apply(g, grads) })
}

internal fun addRegularization(b: TrainerBuilder, r: Regularization) {
  b.regularization(TrainStep.Penalty { g, ps -> r.penalty(g, ps) })
}

internal fun fitHistory(t: Trainer, data: Dataset, validation: Dataset?, epochs: Int, batchSize: Int): History {
  val log = t.fit(data, validation, epochs, batchSize)
  val h = History()
  for (e in log.epochs()) {
    val v = e.validation()
    val metrics = v.filterKeys { it != "val_loss" }.mapKeys { it.key.removePrefix("val_") }
    h.add(EpochRecord(e.epoch(), e.loss(), emptyMap(), v["val_loss"] ?: Double.NaN, metrics, Double.NaN, e.seconds()))
  }
  return h
}
