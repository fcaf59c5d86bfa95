package dev.kiln.runtime.train;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

/**
 * Loss functions built from IR ops, with PyTorch's semantics (names in each method's javadoc). Each
 * returns a {@link Loss}; {@code reduction} chooses mean, sum or per-element values.
 */
public final class Losses {
  private Losses() {}

  /** Mean squared error, PyTorch {@code mse_loss}: (p - t)^2. */
  public static Loss mse(Reduction reduction) {
    return (b, p, t) -> reduce(b, reduction, Ir.square(b, Ir.sub(b, p, t)));
  }

  /** Mean absolute error, PyTorch {@code l1_loss}: |p - t|. */
  public static Loss l1(Reduction reduction) {
    return (b, p, t) -> reduce(b, reduction, Ir.abs(b, Ir.sub(b, p, t)));
  }

  /**
   * Huber loss, PyTorch {@code huber_loss}: 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta),
   * written as 0.5 m^2 + delta (|d| - m) with m = min(|d|, delta), which is the same piecewise function
   * with no branch.
   */
  public static Loss huber(double delta, Reduction reduction) {
    if (!(delta > 0)) throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
    return (b, p, t) -> {
      Value a = Ir.abs(b, Ir.sub(b, p, t));
      Value m = Ir.min(b, a, Ir.c(b, a, delta));
      Value quadratic = Ir.scale(b, Ir.square(b, m), 0.5);
      Value linear = Ir.scale(b, Ir.sub(b, a, m), delta);
      return reduce(b, reduction, Ir.add(b, quadratic, linear));
    };
  }

  /**
   * Binary cross-entropy on probabilities, PyTorch {@code binary_cross_entropy}:
   * -(t log p + (1 - t) log(1 - p)).
   * NOTE: as PyTorch does, each log is clamped below at -100 so p = 0 or 1 gives a finite loss
   * and gradient: max(log x, -100) = relu(log x + 100) - 100 (log 0 = -inf maps to -100).
   */
  public static Loss bce(Reduction reduction) {
    return (b, p, t) -> {
      Value logP = clampedLog(b, p);
      Value log1mP = clampedLog(b, Ir.rsub(b, 1, p));
      Value pos = Ir.mul(b, t, logP);
      Value negPart = Ir.mul(b, Ir.rsub(b, 1, t), log1mP);
      return reduce(b, reduction, Ir.neg(b, Ir.add(b, pos, negPart)));
    };
  }

  private static Value clampedLog(GraphBuilder b, Value x) {
    return Ir.plus(b, Ir.relu(b, Ir.plus(b, Ir.log(b, x), 100)), -100);
  }

  /**
   * Binary cross-entropy on logits z, PyTorch {@code binary_cross_entropy_with_logits}.
   * NOTE: the stable form max(z, 0) - z t + log(1 + exp(-|z|)): exp never overflows, and for large
   * |z| the loss tends to the right linear term instead of inf - inf.
   */
  public static Loss bceWithLogits(Reduction reduction) {
    return (b, z, t) -> {
      Value softplusTail = Ir.log(b, Ir.plus(b, Ir.exp(b, Ir.neg(b, Ir.abs(b, z))), 1));
      Value v = Ir.add(b, Ir.sub(b, Ir.relu(b, z), Ir.mul(b, z, t)), softplusTail);
      return reduce(b, reduction, v);
    };
  }

  /**
   * Softmax cross-entropy from logits [batch, classes], PyTorch {@code cross_entropy}: targets are
   * integer class indices [batch] (i32/i64) or probabilities [batch, classes]. Configure class
   * weights and label smoothing on the returned object.
   */
  public static ClassificationLoss softmaxCrossEntropy(Reduction reduction) {
    return new ClassificationLoss(true, null, 0, reduction);
  }

  /** Negative log-likelihood, PyTorch {@code nll_loss}: log-probabilities [batch, classes], integer labels. */
  public static ClassificationLoss nll(Reduction reduction) {
    return new ClassificationLoss(false, null, 0, reduction);
  }

  /**
   * Multi-class hinge loss, PyTorch {@code multi_margin_loss} with p = 1, margin = 1: per example
   * sum over j != y of max(0, 1 - x[y] + x[j]), divided by the number of classes. Integer labels.
   */
  public static Loss multiclassHinge(Reduction reduction) { return multiclassHinge(reduction, null); }

  /**
   * {@link #multiclassHinge(Reduction)} with class weights: each example's terms are scaled by w[y]
   * (PyTorch's {@code weight}); MEAN is still the plain mean over the batch, as in PyTorch.
   */
  public static Loss multiclassHinge(Reduction reduction, double[] weights) {
    double[] w = weights == null ? null : weights.clone();
    return (b, x, labels) -> {
      long classes = ClassificationLoss.classes(x);
      Value oneHot = ClassificationLoss.oneHot(b, labels, classes, x);
      Value xy = Ir.sum(b, Ir.mul(b, oneHot, x), true, 1);
      Value margins = Ir.relu(b, Ir.rsub(b, 1, Ir.sub(b, xy, x)));
      // The j = y term is max(0, 1) = 1 for every example; the mask removes it.
      Value others = Ir.mul(b, margins, Ir.rsub(b, 1, oneHot));
      Value perExample = Ir.scale(b, Ir.sum(b, others, false, 1), 1.0 / classes);
      if (w != null) {
        if (w.length != classes) throw new ShapeException("class weights have length " + w.length + ", expected " + classes);
        Value wc = Ops.constant(b, dev.kiln.spec.HostTensor.fromDoubles(x.type().dtype(), w, classes));
        perExample = Ir.mul(b, perExample, Ir.sum(b, Ir.mul(b, oneHot, wc), false, 1));
      }
      return reduce(b, reduction, perExample);
    };
  }

  /**
   * KL divergence, PyTorch {@code kl_div(input, target)} with {@code input} log-probabilities and
   * {@code target} probabilities: t (log t - input), 0 where t = 0. {@link Reduction#BATCHMEAN} divides
   * the sum by the batch size (the true KL mean); MEAN divides by the element count, as PyTorch does.
   * NOTE: t log t is computed as t log(max(t, 1e-30)) so t = 0 gives 0 * finite = 0, not 0 * -inf = NaN;
   * for t &gt; 1e-23 in f32 the max is exact.
   */
  public static Loss klDiv(Reduction reduction) {
    return (b, logQ, t) -> {
      Value safeT = Ir.plus(b, Ir.relu(b, Ir.plus(b, t, -1e-30)), 1e-30);
      Value v = Ir.mul(b, t, Ir.sub(b, Ir.log(b, safeT), logQ));
      return reduction == Reduction.BATCHMEAN ? Reduction.BATCHMEAN.apply(b, v) : reduce(b, reduction, v);
    };
  }

  static Value reduce(GraphBuilder b, Reduction r, Value v) {
    if (r == Reduction.BATCHMEAN) throw new ShapeException("reduction batchmean is offered by klDiv only");
    return r.apply(b, v);
  }
}
