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

/**
 * y = gamma * x for x &gt; 0, gamma * alpha * (e^x - 1) otherwise; floats. The defaults are ONNX's (the
 * self-normalising constants, as f32 values). ONNX Selu-6 (in f64, which ONNX Runtime lacks, Where/Exp); TF Elu scaled (TF's Selu fixes both constants).
 */
public final class Selu extends Elementwise {
  /** ONNX's default alpha, 1.67326319217681884765625 (the f32 nearest the SELU paper's constant). */
  public static final double ALPHA = 1.67326319217681884765625;
  /** ONNX's default gamma, 1.05070102214813232421875. */
  public static final double GAMMA = 1.05070102214813232421875;

  @Override public String summary() { return "y = gamma * (x if x > 0 else alpha * (exp(x) - 1))"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("alpha", AttrKind.FLOAT, ALPHA, "scale of the negative part")
        .attr("gamma", AttrKind.FLOAT, GAMMA, "scale of the whole output");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("Selu", 6).attr("alpha").attr("gamma").orElseFor(DType.F64, Selu::emitPrimitives));
  }

  /** ONNX Runtime has no f64 Selu: gamma * Where(x &gt; 0, x, alpha * (Exp(x) - 1)). */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String neg = m.op("Mul", m.scalar(e.node().attrs().getDouble("alpha")), m.op("Sub", m.op("Exp", x), m.scalar(1)));
    m.out(m.op("Mul", m.scalar(e.node().attrs().getDouble("gamma")), m.op("Where", m.op("Greater", x, m.scalar(0)), x, neg)));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Elu + SelectV2"); }

  /** dx = gy * gamma where x &gt; 0, else gy * (y + gamma * alpha) (= gy * gamma * alpha * e^x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value y = node.output();
      Value gy = gys.get(0);
      double alpha = node.attrs().getDouble("alpha");
      double gamma = node.attrs().getDouble("gamma");
      return List.of(g.where(g.greater(x, g.scalar(x, 0)), g.mul(gy, gamma), g.mul(gy, g.add(y, g.scalar(y, gamma * alpha)))));
    };
  }
}
