package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = tanh x, elementwise. ONNX Tanh-6 / Tanh-13 (adds bfloat16). */
public final class Tanh extends Elementwise {
  @Override public String summary() { return "y = tanh(x)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Tanh", 6), Onnx.op("Tanh", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Tanh"); }
}
