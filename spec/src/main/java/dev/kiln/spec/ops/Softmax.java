package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AxisSoftmax;

/**
 * y = exp(x) / sum(exp(x)) along {@code axis}. ONNX Softmax-13 (one axis; earlier opsets flattened
 * the trailing axes instead, so they are not declared).
 */
public final class Softmax extends AxisSoftmax {
  // NOTE: ONNX Runtime and TF subtract the maximum along the axis before exponentiating, so large
  // inputs do not overflow (ONNX's test_softmax_large_number checks it).
  @Override public String summary() { return "y = exp(x) / sum(exp(x)) along axis"; }

  /** dx = y * (gy - sum(gy * y, axis)), the sum kept as size 1. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value y = node.output();
      long[] axis = {node.attrs().getLong("axis")};
      return java.util.List.of(g.mul(y, g.sub(gys.get(0), g.sumKept(g.mul(gys.get(0), y), axis))));
    };
  }
}
