package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * Product over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceProd-13 (axes attribute) and ReduceProd-18 (axes input); TF Prod.
 */
public final class ReduceProd extends Reduction {
  @Override public String summary() { return "y = product of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceProd", 13), axesInput("ReduceProd", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Prod"); }

  /**
   * dx = gy * y / x (the product of the other elements), with gy and y restored to x's rank.
   * NOTE: y / x is 0/0 = NaN where x is 0; the exact gradient there (the product of the others) would need
   * exclusive products along each axis. Inputs with zeros get NaN gradients at the zeros.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value y = keptDims(b, node, node.output());
      Value gy = keptDims(b, node, gys.get(0));
      return List.of(g.div(g.mul(gy, y), x));
    };
  }
}
