package dev.kiln.spec.ops;

import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * Sum over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX ReduceSum-11
 * (axes attribute) and ReduceSum-13 (axes input).
 */
public final class ReduceSum extends Reduction {
  @Override public String summary() { return "y = sum of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceSum", 11), axesInput("ReduceSum", 13));
  }

  @Override public TfLowering tf() { return tfReduce("Sum"); }

  /** dx = gy with the reduced axes restored as size 1, broadcast to x's shape. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Ops.broadcastLike(b, keptDims(b, node, gys.get(0)), node.input(0)));
  }
}
