package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.OnnxMath;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = ln(1 + e^x), elementwise; floats. ONNX Softplus-1 (in f64, which ONNX Runtime lacks, Relu/Log/Exp); TF Softplus. */
public final class Softplus extends Elementwise {
  // NOTE: both runtimes evaluate it without overflow for large x (where y ~ x); the backend data
  // covers moderate inputs only.
  @Override public String summary() { return "y = log(1 + exp(x))"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Softplus", 1).orElseFor(DType.F64, Softplus::emitPrimitives)); }

  /**
   * ONNX Runtime has no f64 Softplus: Relu(x) + Log(1 + Exp(-|x|)).
   * NOTE: the same function as ln(1 + e^x), but e^x cannot overflow and small terms are not lost for large |x|.
   */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String tail = m.op("Log", m.op("Add", m.scalar(1), m.op("Exp", m.op("Neg", m.op("Abs", x)))));
    m.out(m.op("Add", m.op("Relu", x), tail));
  }

  @Override public TfLowering tf() { return TfLowering.op("Softplus"); }

  /** dx = gy * sigmoid(x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Grad.in(b).mul(gys.get(0), Ops.sigmoid(b, node.input(0))));
  }
}
