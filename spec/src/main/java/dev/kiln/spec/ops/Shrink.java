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
 * y = x - bias where x &gt; lambd, x + bias where x &lt; -lambd, else 0, elementwise; floats (ONNX also
 * allows integers; Kiln does not). ONNX Shrink-9 (f64 in primitives); TF two SelectV2s.
 */
public final class Shrink extends Elementwise {
  @Override public String summary() { return "y = x - bias if x > lambd, x + bias if x < -lambd, else 0"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("lambd", AttrKind.FLOAT, 0.5, "half width of the band mapped to 0")
        .attr("bias", AttrKind.FLOAT, 0.0, "amount moved towards 0 outside the band");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("Shrink", 9).attr("lambd").attr("bias").orElseFor(DType.F64, Shrink::emitPrimitives).lowering();
  }

  /**
   * NOTE: ONNX Runtime's f64 Shrink loses precision (finite differences through it are off in the third
   * digit, as through f32 arithmetic), so f64 is spelled Where(x &lt; -lambd, x + bias, Where(x &gt; lambd, x - bias, 0)).
   */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    double lambd = e.node().attrs().getDouble("lambd");
    String bias = m.scalar(e.node().attrs().getDouble("bias"));
    String outer = m.op("Where", m.op("Greater", x, m.scalar(lambd)), m.op("Sub", x, bias), m.scalar(0));
    m.out(m.op("Where", m.op("Less", x, m.scalar(-lambd)), m.op("Add", x, bias), outer));
  }

  @Override public TfLowering tf() { return TfLowering.custom("SelectV2 band"); }

  /** dx = gy where |x| &gt; lambd, else 0. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      double lambd = node.attrs().getDouble("lambd");
      return List.of(g.where(g.less(x, g.scalar(x, -lambd)), gy, g.keep(g.greater(x, g.scalar(x, lambd)), gy)));
    };
  }
}
