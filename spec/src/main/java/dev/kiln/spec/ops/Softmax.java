package dev.kiln.spec.ops;

import dev.kiln.spec.op.AxisSoftmax;

/**
 * y = exp(x) / sum(exp(x)) along {@code axis}. ONNX Softmax-13 (one axis; earlier opsets flattened
 * the trailing axes instead, so they are not declared).
 */
public final class Softmax extends AxisSoftmax {
  // NOTE: ONNX Runtime and TF subtract the maximum along the axis before exponentiating, so large
  // inputs do not overflow (ONNX's test_softmax_large_number checks it).
  @Override public String summary() { return "y = exp(x) / sum(exp(x)) along axis"; }
}
