package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;

/**
 * y = a ^ b with NumPy broadcasting; base and exponent share one dtype (ONNX allows them to differ;
 * Kiln asks for an explicit cast). ONNX Pow-7 / Pow-12 (integers) / Pow-13 / Pow-15: one form.
 */
public final class Pow extends Binary {
  @Override public String summary() { return "y = a ^ b (broadcasting)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("Pow", 7), Onnx.op("Pow", 12), Onnx.op("Pow", 13), Onnx.op("Pow", 15));
  }

  @Override public TfLowering tf() { return TfLowering.op("Pow"); }

  /** da = gy * b * a^(b - 1); db = gy * y * ln(a).
   *
   * <p>NOTE: the exponent's gradient is defined for a &gt; 0 only: at a &lt;= 0 ln(a) makes it NaN (or
   * -inf * 0). Constant exponents (the common x^2) are not on the gradient path, so this matters only
   * when the exponent is trained or computed from trained values. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value a = node.input(0);
      Value e = node.input(1);
      Value gy = gys.get(0);
      Value da = g.mul(g.mul(gy, e), Ops.pow(b, a, g.sub(e, g.scalar(e, 1))));
      Value db = g.mul(g.mul(gy, node.output()), Ops.log(b, a));
      return java.util.List.of(da, db);
    };
  }
}
