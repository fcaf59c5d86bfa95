package dev.kiln.spec.ops;

import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;

/**
 * y = min(a, b) elementwise (broadcasting). ONNX Min-8 (broadcasting) / Min-12 (adds integers) /
 * Min-13 with two inputs; TF Minimum.
 */
public final class Minimum extends Binary {
  @Override public String summary() { return "y = min(a, b) (broadcasting)"; }

  @Override public OnnxLowering onnx() { return Maximum.extremumForms("Min"); }

  @Override public TfLowering tf() { return TfLowering.op("Minimum"); }

  /** gy goes to the smaller operand; ties split evenly (as PyTorch's {@code torch.minimum}). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Maximum.tieSplit(Grad.in(b), node.input(0), node.input(1), gys.get(0), false);
  }
}
