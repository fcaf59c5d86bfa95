package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = max(x, 0). ONNX Relu-6 (floats), Relu-14 (adds signed integers). */
public final class Relu extends Elementwise {
  @Override public String summary() { return "y = max(x, 0)"; }

  @Override protected boolean floatOnly() { return false; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Relu", 6), Onnx.op("Relu", 14)); }

  @Override public TfLowering tf() { return TfLowering.op("Relu"); }

  /** dx = gy where x &gt; 0 (0 at the kink, as PyTorch and TF take it). */
  @Override public dev.kiln.spec.op.Vjp vjp() {
    return (b, node, gys) -> java.util.List.of(Ops.reluGrad(b, node.input(0), gys.get(0)));
  }
}
