package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = e^x, elementwise. ONNX Exp-6 / Exp-13 (adds bfloat16). */
public final class Exp extends Elementwise {
  @Override public String summary() { return "y = exp(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Exp", 6), Onnx.op("Exp", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Exp"); }

  /** dx = gy * y. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> java.util.List.of(Grad.in(b).mul(gys.get(0), node.output()));
  }
}
