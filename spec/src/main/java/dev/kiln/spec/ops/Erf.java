package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = erf(x) = 2/sqrt(pi) * integral of e^(-t^2) from 0 to x, elementwise; floats. ONNX Erf-9 / Erf-13; TF Erf.
 * NOTE: ONNX Runtime has no f64 Erf kernel and erf has no exact spelling in primitives, so f64 Erf runs on TF
 * only (an f64 model with Erf fails to load in ONNX Runtime, naming the op).
 */
public final class Erf extends Elementwise {
  @Override public String summary() { return "y = erf(x), the Gauss error function"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Erf", 9), Onnx.op("Erf", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Erf"); }

  /** dx = gy * 2/sqrt(pi) * e^(-x^2). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value e = Ops.exp(b, g.neg(g.mul(x, x)));
      return List.of(g.mul(g.mul(gys.get(0), e), 2 / Math.sqrt(Math.PI)));
    };
  }
}
