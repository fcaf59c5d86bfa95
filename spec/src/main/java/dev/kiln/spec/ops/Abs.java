package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = |x|, elementwise; integers too. ONNX Abs-6 / Abs-13 (adds bfloat16). */
public final class Abs extends Elementwise {
  @Override public String summary() { return "y = abs(x)"; }

  @Override protected boolean floatOnly() { return false; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Abs", 6), Onnx.op("Abs", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Abs"); }

  /** dx = gy * sign(x), with sign(0) = 0 (as PyTorch and TF take it). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      Value zero = g.scalar(x, 0);
      return java.util.List.of(g.where(g.greater(x, zero), gy, g.keep(g.less(x, zero), g.neg(gy))));
    };
  }
}
