package dev.kiln.spec.ops;

import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/** y = |x|, elementwise; integers too. ONNX Abs-6 / Abs-13 (adds bfloat16). */
public final class Abs extends Elementwise {
  @Override public String summary() { return "y = abs(x)"; }

  @Override protected boolean floatOnly() { return false; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Abs", 6), Onnx.op("Abs", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Abs"); }
}
