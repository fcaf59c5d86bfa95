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

/** y = cosh(x) = (e^x + e^-x) / 2, elementwise; floats. ONNX Cosh-9; in f64, which ONNX Runtime lacks, spelled in primitives it has; TF Cosh. */
public final class Cosh extends Elementwise {
  @Override public String summary() { return "y = cosh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Cosh", 9).orElseFor(DType.F64, Cosh::emitF64).lowering(); }

  /** ONNX Runtime has no f64 Cosh kernel: cosh(x) = (e^x + e^-x) / 2. */
  private static void emitF64(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    m.out(m.op("Mul", m.op("Add", m.op("Exp", x), m.op("Exp", m.op("Neg", x))), m.scalar(0.5)));
  }

  @Override public TfLowering tf() { return TfLowering.op("Cosh"); }

  /** dx = gy * sinh(x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.mul(gy, Ops.sinh(b, x)));
    };
  }
}
