package dev.kiln.spec.ops;

import dev.kiln.spec.op.Comparison;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;

/** y = a &lt; b elementwise (broadcasting), BOOL. ONNX Less-9 (numbers) / Less-13; TF Less. */
public final class Less extends Comparison {
  @Override public String summary() { return "y = a < b (broadcasting; BOOL)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Less", 9), Onnx.op("Less", 13)); }
}
