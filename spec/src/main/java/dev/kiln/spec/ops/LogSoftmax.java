package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AxisSoftmax;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;

/**
 * y = x - log(sum(exp(x))) along {@code axis}. ONNX LogSoftmax-13 (one axis; earlier opsets
 * flattened the trailing axes instead, so they are not declared).
 */
public final class LogSoftmax extends AxisSoftmax {
  // NOTE: computed as one op rather than Log(Softmax(x)), which underflows to -inf for very negative
  // logits; the back ends use the max-shifted log-sum-exp.
  @Override public String summary() { return "y = x - log(sum(exp(x))) along axis"; }

  /** dx = gy - exp(y) * sum(gy, axis), the sum kept as size 1 (exp(y) is the softmax). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value p = Ops.exp(b, node.output());
      long[] axis = {node.attrs().getLong("axis")};
      return java.util.List.of(g.sub(gys.get(0), g.mul(p, g.sumKept(gys.get(0), axis))));
    };
  }
}
