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
import java.util.Map;

/**
 * y = max(0, x) + min(0, alpha * (e^(x/alpha) - 1)), elementwise; floats. ONNX Celu-12 (f32 only there:
 * other dtypes are spelled in Where/Exp); TF alpha * Elu(x / alpha).
 */
public final class Celu extends Elementwise {
  @Override public String summary() { return "y = x if x > 0 else alpha * (exp(x / alpha) - 1)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("alpha", AttrKind.FLOAT, 1.0, "scale of the negative part (must not be 0)");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("Celu", 12, e -> {
      if (e.node().input(0).type().dtype() == DType.F32) {
        e.emit("Celu", List.of(e.input(0)), List.of(e.output(0)), Map.of("alpha", e.node().attrs().getDouble("alpha")));
      } else {
        emitPrimitives(e);
      }
    }));
  }

  /** ONNX's Celu is f32 only: Where(x &gt; 0, x, alpha * (Exp(x / alpha) - 1)). */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String alpha = m.scalar(e.node().attrs().getDouble("alpha"));
    String neg = m.op("Mul", alpha, m.op("Sub", m.op("Exp", m.op("Div", x, alpha)), m.scalar(1)));
    m.out(m.op("Where", m.op("Greater", x, m.scalar(0)), x, neg));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Elu scaled by alpha"); }

  /** dx = gy where x &gt; 0, else gy * e^(x/alpha) = gy * (y / alpha + 1). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value y = node.output();
      Value gy = gys.get(0);
      double alpha = node.attrs().getDouble("alpha");
      Value slope = g.add(g.mul(y, 1.0 / alpha), g.scalar(y, 1));
      return List.of(g.where(g.greater(x, g.scalar(x, 0)), gy, g.mul(gy, slope)));
    };
  }
}
