package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = x rounded to the nearest integer, halves to the even one (2.5 -&gt; 2, -1.5 -&gt; -2), elementwise; floats. ONNX Round-11; TF Round (which also rounds halves to even). */
public final class Round extends Elementwise {
  @Override public String summary() { return "y = round(x), halves to even"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Round", 11)); }

  @Override public TfLowering tf() { return TfLowering.op("Round"); }

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
