package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = 1 / (1 + e^-x), elementwise. ONNX Sigmoid-6 / Sigmoid-13 (adds bfloat16). */
public final class Sigmoid extends Elementwise {
  @Override public String summary() { return "y = 1 / (1 + exp(-x))"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Sigmoid", 6), Onnx.op("Sigmoid", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Sigmoid"); }
}
