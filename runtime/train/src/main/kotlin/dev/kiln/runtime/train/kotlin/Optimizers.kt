package dev.kiln.runtime.train.kotlin

import dev.kiln.runtime.train.LearningRateSchedule
import dev.kiln.runtime.train.Optimizer
import dev.kiln.runtime.train.Optimizers
import dev.kiln.runtime.train.Schedules

// Optimizers with named arguments. Each is one call of the Java factory `Optimizers`; the defaults are
// PyTorch's, as the factory's javadoc states them. In Java the learning rate is a schedule fed per step,
// not a hyper-parameter of the optimizer: `lr` here is shorthand for `schedule = constant(lr)`.

/** An [optimizer] and, when given, a constant [learningRate]: what `optimizer = adam(lr = 1e-3)` sets. */
data class OptimizerChoice(val optimizer: Optimizer, val learningRate: LearningRateSchedule?)

/** Any [Optimizer] with a constant learning rate [lr]: `optimizer = myOptimizer.withLearningRate(0.1)`. */
fun Optimizer.withLearningRate(lr: Double): OptimizerChoice = OptimizerChoice(this, Schedules.constant(lr))

private fun choice(o: Optimizer, lr: Double?) = OptimizerChoice(o, lr?.let { Schedules.constant(it) })

/** Adam; AdamW when [decoupledWeightDecay] > 0; see `Optimizers.adam` / `Optimizers.adamw`. */
fun adam(
  lr: Double? = null, b1: Double = 0.9, b2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0.0,
  decoupledWeightDecay: Double = 0.0,
): OptimizerChoice = choice(
  when {
    decoupledWeightDecay != 0.0 && weightDecay != 0.0 ->
      throw IllegalArgumentException("adam: give weightDecay (Adam's L2) or decoupledWeightDecay (AdamW), not both")
    decoupledWeightDecay != 0.0 -> Optimizers.adamw(b1, b2, eps, decoupledWeightDecay)
    else -> Optimizers.adam(b1, b2, eps, weightDecay)
  },
  lr,
)

/** SGD, with heavy-ball or Nesterov [momentum] when > 0; see `Optimizers.sgd`, `momentum`, `nesterov`. */
fun sgd(
  lr: Double? = null, momentum: Double = 0.0, dampening: Double = 0.0, nesterov: Boolean = false, weightDecay: Double = 0.0,
): OptimizerChoice = choice(
  when {
    nesterov -> {
      require(dampening == 0.0) { "sgd: Nesterov momentum takes no dampening, got $dampening" }
      Optimizers.nesterov(momentum, weightDecay)
    }
    momentum != 0.0 -> Optimizers.momentum(momentum, dampening, weightDecay)
    else -> Optimizers.sgd(weightDecay)
  },
  lr,
)

/** RMSprop; see `Optimizers.rmsprop`. */
fun rmsprop(
  lr: Double? = null, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0.0, momentum: Double = 0.0,
  centered: Boolean = false,
): OptimizerChoice = choice(Optimizers.rmsprop(alpha, eps, weightDecay, momentum, centered), lr)

/** Adagrad; see `Optimizers.adagrad`. */
fun adagrad(lr: Double? = null, eps: Double = 1e-10, lrDecay: Double = 0.0, weightDecay: Double = 0.0): OptimizerChoice =
  choice(Optimizers.adagrad(eps, lrDecay, weightDecay), lr)
