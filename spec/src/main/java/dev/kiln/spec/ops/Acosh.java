package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.OnnxMath;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = arcosh(x) = ln(x + sqrt(x^2 - 1)), elementwise (NaN below 1); floats. ONNX Acosh-9; in f64, which ONNX Runtime lacks, spelled in primitives it has; TF Acosh. */
public final class Acosh extends Elementwise {
  @Override public String summary() { return "y = acosh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Acosh", 9).orElseFor(DType.F64, Acosh::emitF64).lowering(); }

  /** ONNX Runtime has no f64 Acosh kernel: acosh(x) = ln(x + sqrt(x^2 - 1)) (x^2 overflows past x ~ 1e154). */
  private static void emitF64(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    m.out(m.op("Log", m.op("Add", x, m.op("Sqrt", m.op("Sub", m.op("Mul", x, x), m.scalar(1))))));
  }

  @Override public TfLowering tf() { return TfLowering.op("Acosh"); }

  /** dx = gy / sqrt(x^2 - 1) (infinite at x = 1). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.div(gy, Ops.sqrt(b, g.sub(g.mul(x, x), g.scalar(x, 1)))));
    };
  }
}
