package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = -1 for x &lt; 0, 0 for x = 0, 1 for x &gt; 0 (NaN stays NaN), elementwise; floats and integers. ONNX Sign-9 / Sign-13 (adds bfloat16); TF Sign. */
public final class Sign extends Elementwise {
  @Override public String summary() { return "y = sign(x): -1, 0 or 1"; }

  @Override protected boolean floatOnly() { return false; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Sign", 9), Onnx.op("Sign", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Sign"); }

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
