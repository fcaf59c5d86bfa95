package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = x^(1/2), elementwise (NaN below 0). ONNX Sqrt-6 / Sqrt-13 (adds bfloat16). */
public final class Sqrt extends Elementwise {
  @Override public String summary() { return "y = sqrt(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Sqrt", 6), Onnx.op("Sqrt", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Sqrt"); }

  /** dx = gy / (2 y) (infinite at x = 0). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      return java.util.List.of(g.div(g.mul(gys.get(0), 0.5), node.output()));
    };
  }
}
