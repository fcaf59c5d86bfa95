package dev.kiln.spec.ops;

import dev.kiln.spec.op.Comparison;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;

/**
 * y = (a == b) elementwise (broadcasting), BOOL; numbers or BOOL. ONNX Equal-11 (adds floats) /
 * Equal-13; TF Equal.
 */
public final class Equal extends Comparison {
  // NOTE: exact comparison: NaN equals nothing, and -0.0 equals 0.0 (IEEE), in ONNX Runtime and TF alike.
  @Override public String summary() { return "y = (a == b) (broadcasting; BOOL)"; }

  @Override protected boolean allowsBool() { return true; }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Equal", 11), Onnx.op("Equal", 13)); }
}
