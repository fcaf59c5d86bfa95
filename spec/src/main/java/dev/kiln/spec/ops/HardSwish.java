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
import java.util.Map;

/**
 * y = x * max(0, min(1, x / 6 + 1/2)), elementwise; floats (PyTorch's hardswish). ONNX HardSwish-14; at
 * opset 13 HardSigmoid-6 (alpha 1/6, beta 1/2) times x; in f64 Min/Max/Mul. TF: x * Relu6(x + 3) / 6.
 */
public final class HardSwish extends Elementwise {
  @Override public String summary() { return "y = x * max(0, min(1, x / 6 + 0.5))"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("HardSigmoid + Mul", 13, HardSwish::emitOnnx13),
        Onnx.op("HardSwish", 14).orElseFor(DType.F64, HardSwish::emitPrimitives));
  }

  private static void emitOnnx13(OnnxEmitter e) {
    if (e.node().input(0).type().dtype() == DType.F64) {
      emitPrimitives(e);
      return;
    }
    String hs = e.fresh("hardsigmoid");
    e.emit("HardSigmoid", List.of(e.input(0)), List.of(hs), Map.of("alpha", 1.0 / 6, "beta", 0.5));
    e.emit("Mul", List.of(e.input(0), hs), List.of(e.output(0)), Map.of());
  }

  /**
   * ONNX Runtime has no f64 HardSigmoid, and runs HardSwish as HardSigmoid times x: in f64,
   * x * Max(0, Min(1, x / 6 + 0.5)).
   */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    String z = m.op("Add", m.op("Mul", x, m.scalar(1.0 / 6)), m.scalar(0.5));
    m.out(m.op("Mul", x, m.op("Max", m.op("Min", z, m.scalar(1)), m.scalar(0))));
  }

  @Override public TfLowering tf() { return TfLowering.custom("AddV2 + Relu6 + Mul"); }

  /** dx = 0 for x &lt; -3, gy for x &gt; 3, gy * (2x + 3) / 6 between (PyTorch's rule). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      Value mid = g.mul(gy, g.add(g.mul(x, 1.0 / 3), g.scalar(x, 0.5)));
      Value upper = g.where(g.greater(x, g.scalar(x, 3)), gy, mid);
      return List.of(g.drop(g.less(x, g.scalar(x, -3)), upper));
    };
  }
}
