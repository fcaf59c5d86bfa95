package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.List;

/**
 * Cross-entropy over classes with PyTorch's {@code cross_entropy} / {@code nll_loss} semantics: input
 * [batch, classes] (logits, or log-probabilities for nll), target integer labels [batch] or (logits
 * only) probabilities [batch, classes]; optional class weights and label smoothing.
 *
 * <p>Both target kinds become a distribution q: integer labels give q = (1 - eps) onehot(y) + eps / C
 * (exactly PyTorch's (1 - eps) nll + eps / C smooth_loss), probabilities give q = (1 - eps) t + eps / C.
 * The per-example loss is -sum_c w_c q_c logp_c. Weighted MEAN over integer labels divides by the sum of
 * the targets' weights w[y_i], as PyTorch does; over probability targets it divides by the batch size.
 */
public final class ClassificationLoss implements Loss {
  private final boolean logits;
  private final double[] weights;
  private final double smoothing;
  private final Reduction reduction;

  ClassificationLoss(boolean logits, double[] weights, double smoothing, Reduction reduction) {
    if (reduction == Reduction.BATCHMEAN) throw new IllegalArgumentException("reduction batchmean is offered by klDiv only");
    if (!(smoothing >= 0 && smoothing <= 1)) throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + smoothing);
    if (!logits && smoothing != 0) throw new IllegalArgumentException("nll has no label smoothing (PyTorch neither)");
    this.logits = logits;
    this.weights = weights;
    this.smoothing = smoothing;
    this.reduction = reduction;
  }

  /** The same loss with per-class weights (length = number of classes). */
  public ClassificationLoss weights(double... w) {
    return new ClassificationLoss(logits, w.clone(), smoothing, reduction);
  }

  /** The same loss with label smoothing {@code eps} in [0, 1]. */
  public ClassificationLoss labelSmoothing(double eps) {
    return new ClassificationLoss(logits, weights, eps, reduction);
  }

  @Override public Value build(GraphBuilder b, Value input, Value target) {
    long classes = classes(input);
    if (logits && weights == null && smoothing == 0 && !target.type().dtype().isFloating()) {
      // The plain case as one op: its gradient is softmax - onehot, which TF computes in the same kernel.
      requireLabels(target);
      return reduction.apply(b, Ops.softmaxCrossEntropy(b, input, target).get(0));
    }
    Value logp = logits ? Ops.logSoftmax(b, input, 1L) : input;
    boolean labels = !target.type().dtype().isFloating();
    if (!labels && !logits) throw new ShapeException("nll takes integer labels, got " + target.type());
    Value q = labels ? oneHot(b, target, classes, input) : target;
    if (!labels && !q.type().shape().equals(input.type().shape())) {
      throw new ShapeException("probability targets must have the input's shape " + input.type().shape() + ", got " + q.type().shape());
    }
    if (smoothing > 0) q = Ir.plus(b, Ir.scale(b, q, 1 - smoothing), smoothing / classes);
    Value w = null;
    if (weights != null) {
      if (weights.length != classes) {
        throw new ShapeException("class weights have length " + weights.length + ", expected " + classes + " classes");
      }
      w = Ops.constant(b, HostTensor.fromDoubles(input.type().dtype(), weights, classes));
      q = Ir.mul(b, q, w);
    }
    Value perExample = Ir.neg(b, Ir.sum(b, Ir.mul(b, q, logp), false, 1));
    if (reduction == Reduction.MEAN && w != null && labels) {
      Value targetWeights = Ir.sum(b, Ir.mul(b, oneHot(b, target, classes, input), w), false);
      return Ir.div(b, Ir.sum(b, perExample, false), targetWeights);
    }
    return reduction.apply(b, perExample);
  }

  /** The static class count of a [batch, classes] input. */
  static long classes(Value input) {
    if (input.type().rank() != 2 || !input.type().shape().dim(1).isStatic()) {
      throw new ShapeException("input must be [batch, classes] with a static class count, got " + input.type());
    }
    return input.type().shape().dim(1).size();
  }

  /** onehot(labels) in {@code like}'s dtype; labels must be i32/i64 [batch]. */
  static Value oneHot(GraphBuilder b, Value labels, long classes, Value like) {
    requireLabels(labels);
    return Ops.oneHot(b, labels, classes, like.type().dtype(), -1L);
  }

  private static void requireLabels(Value labels) {
    DType d = labels.type().dtype();
    if ((d != DType.I64 && d != DType.I32) || labels.type().rank() != 1) {
      throw new ShapeException("integer labels must be i32 or i64 [batch], got " + labels.type());
    }
  }

  @Override public String toString() {
    return (logits ? "softmaxCrossEntropy" : "nll") + "(" + reduction.name().toLowerCase(java.util.Locale.ROOT)
        + (weights != null ? ", weights=" + Arrays.toString(weights) : "") + (smoothing > 0 ? ", smoothing=" + smoothing : "") + ")";
  }
}
