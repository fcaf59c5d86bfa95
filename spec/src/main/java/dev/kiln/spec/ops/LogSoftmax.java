package dev.kiln.spec.ops;

import dev.kiln.spec.op.AxisSoftmax;

/**
 * y = x - log(sum(exp(x))) along {@code axis}. ONNX LogSoftmax-13 (one axis; earlier opsets
 * flattened the trailing axes instead, so they are not declared).
 */
public final class LogSoftmax extends AxisSoftmax {
  // NOTE: computed as one op rather than Log(Softmax(x)), which underflows to -inf for very negative
  // logits; the back ends use the max-shifted log-sum-exp.
  @Override public String summary() { return "y = x - log(sum(exp(x))) along axis"; }
}
