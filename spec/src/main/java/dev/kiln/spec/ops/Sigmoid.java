package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = 1 / (1 + e^-x), elementwise. ONNX Sigmoid-6 / Sigmoid-13 (adds bfloat16). */
public final class Sigmoid extends Elementwise {
  @Override public String summary() { return "y = 1 / (1 + exp(-x))"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Sigmoid", 6), Onnx.op("Sigmoid", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Sigmoid"); }

  /** dx = gy * y * (1 - y), from the output y. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value y = node.output();
      return java.util.List.of(g.mul(g.mul(gys.get(0), y), g.sub(g.scalar(y, 1), y)));
    };
  }
}
