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

/** y = x / (1 + |x|), elementwise; floats. ONNX Softsign-1 (in f64, which ONNX Runtime lacks, Abs/Div); TF Softsign. */
public final class Softsign extends Elementwise {
  @Override public String summary() { return "y = x / (1 + |x|)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Softsign", 1).orElseFor(DType.F64, Softsign::emitPrimitives)); }

  /** ONNX Runtime has no f64 Softsign: x / (1 + Abs(x)). */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    m.out(m.op("Div", e.input(0), m.op("Add", m.scalar(1), m.op("Abs", e.input(0)))));
  }

  @Override public TfLowering tf() { return TfLowering.op("Softsign"); }

  /** dx = gy / (1 + |x|)^2. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value d = g.add(g.scalar(x, 1), Ops.abs(b, x));
      return List.of(g.div(gys.get(0), g.mul(d, d)));
    };
  }
}
