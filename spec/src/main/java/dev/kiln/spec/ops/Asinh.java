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

/** y = arsinh(x) = ln(x + sqrt(x^2 + 1)), elementwise; floats. ONNX Asinh-9; in f64, which ONNX Runtime lacks, spelled in primitives it has; TF Asinh. */
public final class Asinh extends Elementwise {
  @Override public String summary() { return "y = asinh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Asinh", 9).orElseFor(DType.F64, Asinh::emitF64).lowering(); }

  /** ONNX Runtime has no f64 Asinh kernel: asinh(x) = sign(x) ln(|x| + sqrt(x^2 + 1)) (the odd form avoids cancellation for x &lt; 0; x^2 overflows past |x| ~ 1e154). */
  private static void emitF64(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String ax = m.op("Abs", x);
    String r = m.op("Log", m.op("Add", ax, m.op("Sqrt", m.op("Add", m.op("Mul", x, x), m.scalar(1)))));
    m.out(m.op("Mul", m.op("Sign", x), r));
  }

  @Override public TfLowering tf() { return TfLowering.op("Asinh"); }

  /** dx = gy / sqrt(x^2 + 1). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.div(gy, Ops.sqrt(b, g.add(g.mul(x, x), g.scalar(x, 1)))));
    };
  }
}
