package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.OnnxMath;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = x for x &gt; 0, alpha * (e^x - 1) otherwise; floats. ONNX Elu-6 (in f64, which ONNX Runtime lacks, Where/Exp); TF Elu (whose alpha is 1) scaled below 0. */
public final class Elu extends Elementwise {
  @Override public String summary() { return "y = x if x > 0 else alpha * (exp(x) - 1)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("alpha", AttrKind.FLOAT, 1.0, "scale of the negative part");
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Elu", 6).attr("alpha").orElseFor(DType.F64, Elu::emitPrimitives)); }

  /** ONNX Runtime has no f64 Elu: Where(x &gt; 0, x, alpha * (Exp(x) - 1)). */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String neg = m.op("Mul", m.scalar(e.node().attrs().getDouble("alpha")), m.op("Sub", m.op("Exp", x), m.scalar(1)));
    m.out(m.op("Where", m.op("Greater", x, m.scalar(0)), x, neg));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Elu + SelectV2"); }

  /** dx = gy where x &gt; 0, else gy * (y + alpha) (= gy * alpha * e^x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value y = node.output();
      Value gy = gys.get(0);
      double alpha = node.attrs().getDouble("alpha");
      return List.of(g.where(g.greater(x, g.scalar(x, 0)), gy, g.mul(gy, g.add(y, g.scalar(y, alpha)))));
    };
  }
}
