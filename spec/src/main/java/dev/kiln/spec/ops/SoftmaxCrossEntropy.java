package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * Softmax cross-entropy of logits [batch, classes] against integer labels [batch], per example:
 * {@code loss = -log softmax(logits)[label]}, and beside it {@code dlogits = softmax(logits) - onehot(label)},
 * the loss's gradient for its logits, which the VJP scales by the loss's incoming gradient instead of
 * differentiating LogSoftmax, OneHot, Mul and ReduceSum one by one. A composite: that arithmetic is its
 * decomposition (what ONNX export and other dtypes run); on TensorFlow (f32, f64) it is one
 * SparseSoftmaxCrossEntropyWithLogits, which returns both outputs from one pass.
 *
 * <p>Labels must lie in [0, classes): TensorFlow's kernel stops the step with an error naming the bad
 * label, and the decomposition gives such a row a zero one-hot (loss log-sum-exp); the trainer checks
 * every label before the first step.
 */
public final class SoftmaxCrossEntropy extends Op {
  @Override public String summary() {
    return "(loss, dlogits) per example: -log softmax(logits)[label], softmax(logits) - onehot(label)";
  }

  @Override public Signature signature() { return Signature.inputs("logits", "labels").outputs(2); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType logits = in.get(0);
    TensorType labels = in.get(1);
    TypeRules.requireFloat("input logits", logits);
    TypeRules.requireRank("input logits", logits, 2);
    if (!logits.shape().dim(1).isStatic()) throw new ShapeException("input logits needs a static class count (axis 1), got " + logits);
    if (labels.dtype() != DType.I32 && labels.dtype() != DType.I64) {
      throw new ShapeException("input labels must be i32 or i64, got " + labels);
    }
    TypeRules.requireRank("input labels", labels, 1);
    Dim n = logits.shape().dim(0);
    Dim m = labels.shape().dim(0);
    if (n.isStatic() && m.isStatic() && n.size() != m.size()) {
      throw new ShapeException("input labels has " + m.size() + " examples but logits has " + n.size());
    }
    return List.of(new TensorType(logits.dtype(), Shape.of(n)), logits);
  }

  @Override public OnnxLowering onnx() { return Onnx.unsupported("exported as its decomposition (LogSoftmax, OneHot, Mul, ReduceSum)"); }

  @Override public TfLowering tf() { return TfLowering.op("SparseSoftmaxCrossEntropyWithLogits"); }

  /** TF's kernel takes f32 and f64 (and half types, which run the decomposition here). */
  @Override public boolean tfNative(Node n) {
    DType d = n.input(0).type().dtype();
    return d == DType.F32 || d == DType.F64;
  }

  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      Grad g = Grad.in(b);
      Value logits = in.get(0);
      long classes = logits.type().shape().dim(1).size();
      Value logp = Ops.logSoftmax(b, logits, 1L);
      Value oneHot = Ops.oneHot(b, in.get(1), classes, logits.type().dtype(), -1L);
      Value loss = g.neg(Ops.reduceSum(b, g.mul(oneHot, logp), new long[] {1}, false));
      Value dlogits = g.sub(Ops.exp(b, logp), oneHot);
      return List.of(loss, dlogits);
    };
  }

  /**
   * dlogits = dlogits output · gLoss (per row); a gradient reaching the dlogits output G (second order)
   * adds its pull-back through the softmax, p (G - sum(G p, axis 1)) with p = softmax(logits).
   */
  @Override public Vjp vjp() {
    return Vjp.allowingMissing((b, node, gys) -> {
      Grad g = Grad.in(b);
      Value dx = null;
      if (gys.get(0) != null) {
        dx = g.mul(node.outputs().get(1), Ops.unsqueeze(b, gys.get(0), new long[] {1}));
      }
      if (gys.get(1) != null) {
        Value p = Ops.softmax(b, node.input(0), 1L);
        Value gp = g.mul(gys.get(1), p);
        Value pulled = g.sub(gp, g.mul(p, g.sumKept(gp, new long[] {1})));
        dx = dx == null ? pulled : g.add(dx, pulled);
      }
      return Arrays.asList(dx, null);  // labels get no gradient
    });
  }
}
