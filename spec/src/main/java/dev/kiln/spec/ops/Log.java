package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = ln x, elementwise (NaN below 0, -inf at 0). ONNX Log-6 / Log-13 (adds bfloat16). */
public final class Log extends Elementwise {
  @Override public String summary() { return "y = ln(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Log", 6), Onnx.op("Log", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Log"); }

  /** dx = gy / x. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> java.util.List.of(Grad.in(b).div(gys.get(0), node.input(0)));
  }
}
