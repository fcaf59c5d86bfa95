package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = the largest integer &lt;= x, elementwise; floats. ONNX Floor-6 / Floor-13 (adds bfloat16); TF Floor. */
public final class Floor extends Elementwise {
  @Override public String summary() { return "y = floor(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Floor", 6), Onnx.op("Floor", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Floor"); }

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
