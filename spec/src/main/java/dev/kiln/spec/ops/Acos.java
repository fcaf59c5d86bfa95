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
 * y = arccos(x), elementwise, in [0, pi] (NaN outside [-1, 1]); floats. ONNX Acos-7; TF Acos.
 * NOTE: ONNX Runtime (1.28) has f32 kernels only; f64 models are valid ONNX but do not run there.
 */
public final class Acos extends Elementwise {
  @Override public String summary() { return "y = acos(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Acos", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Acos"); }

  /** dx = -gy / sqrt(1 - x^2). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.neg(g.div(gy, Ops.sqrt(b, g.sub(g.scalar(x, 1), g.mul(x, x))))));
    };
  }
}
