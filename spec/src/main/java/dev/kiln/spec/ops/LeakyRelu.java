package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;

/** y = x for x >= 0, alpha * x otherwise; floats. ONNX LeakyRelu-6 / LeakyRelu-16 (adds bfloat16). */
public final class LeakyRelu extends Elementwise {
  @Override public String summary() { return "y = x if x >= 0 else alpha * x"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("alpha", AttrKind.FLOAT, 0.01, "slope for negative inputs");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("LeakyRelu", 6).attr("alpha"), Onnx.op("LeakyRelu", 16).attr("alpha"));
  }

  @Override public TfLowering tf() { return TfLowering.op("LeakyRelu").attr("alpha", "alpha"); }

  /** dx = gy where x &gt; 0, alpha * gy elsewhere (slope alpha at 0, as PyTorch and TF take it). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return java.util.List.of(g.where(g.greater(x, g.scalar(x, 0)), gy, g.mul(gy, node.attrs().getDouble("alpha"))));
    };
  }
}
