package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = tanh x, elementwise. ONNX Tanh-6 / Tanh-13 (adds bfloat16). */
public final class Tanh extends Elementwise {
  @Override public String summary() { return "y = tanh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Tanh", 6), Onnx.op("Tanh", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Tanh"); }

  /** dx = gy * (1 - y^2), from the output y. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value y = node.output();
      return java.util.List.of(g.mul(gys.get(0), g.sub(g.scalar(y, 1), g.mul(y, y))));
    };
  }
}
