package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = ln(1 + e^x), elementwise; floats. ONNX Softplus-1; TF Softplus. */
public final class Softplus extends Elementwise {
  // NOTE: both runtimes evaluate it without overflow for large x (where y ~ x); the backend data
  // covers moderate inputs only.
  @Override public String summary() { return "y = log(1 + exp(x))"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Softplus", 1)); }

  @Override public TfLowering tf() { return TfLowering.op("Softplus"); }

  /** dx = gy * sigmoid(x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Grad.in(b).mul(gys.get(0), b.apply1("Sigmoid", Attrs.EMPTY, node.input(0))));
  }
}
