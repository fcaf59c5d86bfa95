package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = the smallest integer &gt;= x, elementwise; floats. ONNX Ceil-6 / Ceil-13 (adds bfloat16); TF Ceil. */
public final class Ceil extends Elementwise {
  @Override public String summary() { return "y = ceil(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Ceil", 6), Onnx.op("Ceil", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Ceil"); }

  /**
   * dx = 0: the function is piecewise constant, so its derivative is 0 wherever it exists (as in TF
   * and PyTorch); at the jumps it has none and 0 is taken too.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      return List.of(g.broadcastLike(g.scalar(gys.get(0), 0), gys.get(0)));
    };
  }
}
