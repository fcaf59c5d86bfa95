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

/** y = cos(x), elementwise (radians); floats. ONNX Cos-7; in f64, which ONNX Runtime lacks, spelled in primitives it has; TF Cos. */
public final class Cos extends Elementwise {
  @Override public String summary() { return "y = cos(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Cos", 7).orElseFor(DType.F64, Cos::emitF64).lowering(); }

  /** ONNX Runtime has no f64 Cos kernel: cos(x) = sin(x + pi/2). */
  private static void emitF64(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    m.out(m.op("Sin", m.op("Add", x, m.scalar(Math.PI / 2))));
  }

  @Override public TfLowering tf() { return TfLowering.op("Cos"); }

  /** dx = -gy * sin(x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.neg(g.mul(gy, Ops.sin(b, x))));
    };
  }
}
