package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.Attrs;
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

/** y = artanh(x) = ln((1 + x) / (1 - x)) / 2, elementwise (NaN outside [-1, 1]); floats. ONNX Atanh-9; in f64, which ONNX Runtime lacks, spelled in primitives it has; TF Atanh. */
public final class Atanh extends Elementwise {
  @Override public String summary() { return "y = atanh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Atanh", 9).orElseFor(DType.F64, Atanh::emitF64).lowering(); }

  /** ONNX Runtime has no f64 Atanh kernel: atanh(x) = ln((1 + x) / (1 - x)) / 2. */
  private static void emitF64(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    m.out(m.op("Mul", m.op("Log", m.op("Div", m.op("Add", m.scalar(1), x), m.op("Sub", m.scalar(1), x))), m.scalar(0.5)));
  }

  @Override public TfLowering tf() { return TfLowering.op("Atanh"); }

  /** dx = gy / (1 - x^2). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.div(gy, g.sub(g.scalar(x, 1), g.mul(x, x))));
    };
  }
}
