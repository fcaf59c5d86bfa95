package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = sin(x), elementwise (radians); floats. ONNX Sin-7; TF Sin. */
public final class Sin extends Elementwise {
  @Override public String summary() { return "y = sin(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.op("Sin", 7).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Sin"); }

  /** dx = gy * cos(x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      return List.of(g.mul(gy, Ops.cos(b, x)));
    };
  }
}
