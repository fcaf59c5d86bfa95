package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = max(a, b) elementwise (broadcasting). ONNX Max-8 (broadcasting) / Max-12 (adds integers) /
 * Max-13 with two inputs; TF Maximum.
 */
public final class Maximum extends Binary {
  // NOTE: Kiln does not define the result for NaN operands; the tests draw no NaNs, and back ends may differ.
  @Override public String summary() { return "y = max(a, b) (broadcasting)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Max", 8), Onnx.op("Max", 12), Onnx.op("Max", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Maximum"); }

  /**
   * gy goes to the larger operand; where a == b it is split evenly, half to each (as PyTorch's
   * {@code torch.maximum} does), so the sum of both gradients is gy everywhere.
   */
  @Override public Vjp vjp() { return (b, node, gys) -> tieSplit(Grad.in(b), node.input(0), node.input(1), gys.get(0), true); }

  /** The masks of Maximum ({@code max}) or Minimum: gy to the winner, halves on ties. */
  static List<Value> tieSplit(Grad g, Value a, Value b, Value gy, boolean max) {
    Value tie = g.keep(g.equal(a, b), g.mul(gy, 0.5));
    Value aWins = max ? g.greater(a, b) : g.less(a, b);
    Value bWins = max ? g.less(a, b) : g.greater(a, b);
    return List.of(g.where(aWins, gy, tie), g.where(bWins, gy, tie));
  }
}
