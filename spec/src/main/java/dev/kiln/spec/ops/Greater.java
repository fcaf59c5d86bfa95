package dev.kiln.spec.ops;

import dev.kiln.spec.op.Comparison;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;

/** y = a &gt; b elementwise (broadcasting), BOOL. ONNX Greater-9 (numbers) / Greater-13; TF Greater. */
public final class Greater extends Comparison {
  @Override public String summary() { return "y = a > b (broadcasting; BOOL)"; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Greater", 9), Onnx.op("Greater", 13)); }
}
