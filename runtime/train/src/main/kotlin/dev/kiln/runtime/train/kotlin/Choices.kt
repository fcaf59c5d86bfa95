package dev.kiln.runtime.train.kotlin

import dev.kiln.runtime.train.ClassificationLoss
import dev.kiln.runtime.train.GradientClipping
import dev.kiln.runtime.train.LearningRateSchedule
import dev.kiln.runtime.train.Loss
import dev.kiln.runtime.train.Losses
import dev.kiln.runtime.train.Metric
import dev.kiln.runtime.train.Reduction
import dev.kiln.runtime.train.Regularization
import dev.kiln.runtime.train.Schedules

// Losses, metrics, schedules, clipping and penalties with named arguments: each a call of the Java factory
// of the same name. Reductions default to MEAN, PyTorch's default.

/** Softmax cross-entropy on logits against class ids (or probabilities); see `Losses.softmaxCrossEntropy`. */
fun crossEntropy(
  reduction: Reduction = Reduction.MEAN, classWeights: DoubleArray? = null, labelSmoothing: Double? = null,
): ClassificationLoss {
  var l = Losses.softmaxCrossEntropy(reduction)
  // Each option returns a new loss: ClassificationLoss is immutable.
  classWeights?.let { l = l.weights(*it) }
  labelSmoothing?.let { l = l.labelSmoothing(it) }
  return l
}

/** Negative log-likelihood on log-probabilities; see `Losses.nll`. */
fun nll(reduction: Reduction = Reduction.MEAN, classWeights: DoubleArray? = null): ClassificationLoss {
  val l = Losses.nll(reduction)
  return if (classWeights == null) l else l.weights(*classWeights)
}

/** Mean squared error; see `Losses.mse`. */
fun mse(reduction: Reduction = Reduction.MEAN): Loss = Losses.mse(reduction)

/** Mean absolute error; see `Losses.l1`. */
fun l1Loss(reduction: Reduction = Reduction.MEAN): Loss = Losses.l1(reduction)

/** Huber loss; see `Losses.huber`. */
fun huber(delta: Double = 1.0, reduction: Reduction = Reduction.MEAN): Loss = Losses.huber(delta, reduction)

/** Binary cross-entropy on probabilities; see `Losses.bce`. */
fun binaryCrossEntropy(reduction: Reduction = Reduction.MEAN): Loss = Losses.bce(reduction)

/** Binary cross-entropy on logits; see `Losses.bceWithLogits`. */
fun binaryCrossEntropyWithLogits(reduction: Reduction = Reduction.MEAN): Loss = Losses.bceWithLogits(reduction)

/** Top-1 accuracy; see `Metric.accuracy`. */
fun accuracy(): Metric = Metric.accuracy()

/** Top-k accuracy; see `Metric.topK`. */
fun topK(k: Int): Metric = Metric.topK(k)

/** A constant rate; see `Schedules.constant`. */
fun constant(lr: Double): LearningRateSchedule = Schedules.constant(lr)

/** Cosine annealing from [lr] to [min] over [totalSteps] steps; see `Schedules.cosine`. */
fun cosine(lr: Double, totalSteps: Long, min: Double = 0.0): LearningRateSchedule = Schedules.cosine(lr, totalSteps, min)

/** [lr] times [factor] every [every] epochs; see `Schedules.stepDecay`. */
fun stepDecay(lr: Double, every: Int, factor: Double): LearningRateSchedule = Schedules.stepDecay(lr, every, factor)

/** [lr] times [gamma] per epoch; see `Schedules.exponential`. */
fun exponentialDecay(lr: Double, gamma: Double): LearningRateSchedule = Schedules.exponential(lr, gamma)

/** Clips each gradient element to [-value, value]; see `GradientClipping.byValue`. */
fun clipByValue(value: Double): GradientClipping = GradientClipping.byValue(value)

/** Scales all gradients down to global norm [norm] at most; see `GradientClipping.byGlobalNorm`. */
fun clipByGlobalNorm(norm: Double): GradientClipping = GradientClipping.byGlobalNorm(norm)

/** lambda * sum |p| over the parameters; see `Regularization.l1`. */
fun l1(lambda: Double): Regularization = Regularization.l1(lambda)

/** lambda * sum p^2 over the parameters; see `Regularization.l2`. */
fun l2(lambda: Double): Regularization = Regularization.l2(lambda)
