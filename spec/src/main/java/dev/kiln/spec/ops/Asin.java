package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = arcsin(x), elementwise, in [-pi/2, pi/2] (NaN outside [-1, 1]); floats. ONNX Asin-7; TF Asin.
 * NOTE: ONNX Runtime (1.28) has f32 kernels only; f64 models are valid ONNX but do not run there.
 */
public final class Asin extends Elementwise {
  @Override public String summary() { return "y = asin(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Asin", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Asin"); }

  /** dx = gy / sqrt(1 - x^2). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.div(gy, Ops.sqrt(b, g.sub(g.scalar(x, 1), g.mul(x, x)))));
    };
  }
}
