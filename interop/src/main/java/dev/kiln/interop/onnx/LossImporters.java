package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.Map;

/**
 * NegativeLogLikelihoodLoss (opset 12+) and SoftmaxCrossEntropyLoss (opset 12+), composed of IR ops: the
 * target class is picked out of the class axis (1) by a one-hot mask, ReduceSum over that axis; class
 * weights are picked the same way; ignored targets get weight 0. Everything is differentiable in the
 * input, so an imported training graph can be fine-tuned.
 */
final class LossImporters {
  private LossImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("NegativeLogLikelihoodLoss", (n, c) -> {
      c.onlyAttrs("reduction", "ignore_index");
      c.define(0, nll(c, c.in(0), c.in(1), c.in(2)));
    });
    m.put("SoftmaxCrossEntropyLoss", LossImporters::softmaxCrossEntropy);
  }

  /** loss = NLL(LogSoftmax(scores, axis 1), labels); the optional second output is the log-probabilities. */
  private static void softmaxCrossEntropy(NodeProto n, ImportContext c) {
    c.onlyAttrs("reduction", "ignore_index");
    Object scores = c.in(0);
    if (shapeOf(scores).rank() < 2) throw c.fail("scores must have rank >= 2 (N, C, ...), has rank " + shapeOf(scores).rank());
    Object logp = Ops.logSoftmax(c.step(), scores, 1L);
    c.define(0, nll(c, logp, c.in(1), c.in(2)));
    c.define(1, logp);
  }

  /**
   * loss[n, d...] = -x[n, t[n, d...], d...] * w[t[n, d...]] (w = 1 without weights; 0 where t is the
   * ignore_index), then reduced: none, sum, or mean = sum(loss) / sum(picked weights).
   * NOTE: the pick is sum_c x[n, c] * onehot[n, c]: exact for finite x (adding zeros), but an infinite or
   * NaN log-probability in another class would turn the sum into NaN.
   */
  private static Object nll(ImportContext c, Object x, Object target, Object weight) {
    if (x == null || target == null) throw c.fail("inputs 0 (input) and 1 (target) are required");
    String reduction = c.attrString("reduction", "mean");
    if (!reduction.equals("none") && !reduction.equals("sum") && !reduction.equals("mean")) {
      throw c.fail("reduction must be none, sum or mean, got '" + reduction + "'");
    }
    Shape xs = shapeOf(x);
    int rank = xs.rank();
    if (rank < 2) throw c.fail("input must have rank >= 2 (N, C, ...), has rank " + rank);
    if (!xs.dim(1).isStatic()) throw c.unsupported("the class axis (1) must have a static size, is " + xs.dim(1));
    long classes = xs.dim(1).size();
    DType ft = dtypeOf(x);
    DType it = dtypeOf(target);
    if (it != DType.I32 && it != DType.I64) throw c.fail("target must be i32 or i64, got " + it);
    if (shapeOf(target).rank() != rank - 1) {
      throw c.fail("target must have rank " + (rank - 1) + " (input's without the class axis), has " + shapeOf(target).rank());
    }
    Object safe = target;
    Object keep = null; // 1 where the target counts, 0 where it is the ignore_index
    if (c.attr("ignore_index") != null) {
      long ii = c.attrInt("ignore_index", 0);
      Object ignored = Ops.equal(c.step(), target, HostArrays.ofLongs(it, new long[] {ii}, new long[0]));
      safe = Ops.where(c.step(), ignored, HostArrays.ofLongs(it, new long[] {0}, new long[0]), target);
      keep = Ops.where(c.step(), ignored, HostTensor.scalar(ft, 0), HostTensor.scalar(ft, 1));
    }
    Object hot = Ops.oneHot(c.step(), safe, classes, ft, 1L);
    Attrs overClasses = Attrs.of("axes", new long[] {1}, "keepdims", false);
    Object picked = Ops.reduceSum(c.step(), Ops.mul(c.step(), x, hot), overClasses);
    Object w = keep;
    if (weight != null) {
      if (shapeOf(weight).rank() != 1) throw c.fail("weight must be 1-D (C), has rank " + shapeOf(weight).rank());
      long[] wShape = new long[rank - 1];
      Arrays.fill(wShape, 1);
      wShape[0] = classes;
      Object wb = Ops.reshape(c.step(), weight, wShape);
      Object wt = Ops.reduceSum(c.step(), Ops.mul(c.step(), hot, wb), overClasses);
      w = keep == null ? wt : Ops.mul(c.step(), wt, keep);
    }
    Object loss = Ops.neg(c.step(), picked);
    Attrs all = Attrs.of("axes", new long[0], "keepdims", false);
    switch (reduction) {
      case "none":
        return w == null ? Ops.identity(c, loss) : Ops.mul(c, loss, w);
      case "sum":
        if (w != null) loss = Ops.mul(c.step(), loss, w);
        return Ops.reduceSum(c, loss, all);
      default:
        if (w == null) return Ops.reduceMean(c, loss, all);
        Object total = Ops.reduceSum(c.step(), Ops.mul(c.step(), loss, w), all);
        // NOTE: when every target is ignored this is 0 / 0 = NaN, as in ONNX's reference.
        return Ops.div(c, total, Ops.reduceSum(c.step(), w, all));
    }
  }

  private static DType dtypeOf(Object o) { return ImportContext.typeOf(o).dtype(); }

  private static Shape shapeOf(Object o) { return ImportContext.typeOf(o).shape(); }
}
