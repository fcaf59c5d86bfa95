package dev.kiln.spec.ops;

import dev.kiln.spec.op.Binary;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;

/**
 * y = a ^ b with NumPy broadcasting; base and exponent share one dtype (ONNX allows them to differ;
 * Kiln asks for an explicit cast). ONNX Pow-7 / Pow-12 (integers) / Pow-13 / Pow-15: one form.
 */
public final class Pow extends Binary {
  @Override public String summary() { return "y = a ^ b (broadcasting)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("Pow", 7), Onnx.op("Pow", 12), Onnx.op("Pow", 13), Onnx.op("Pow", 15));
  }

  @Override public TfLowering tf() { return TfLowering.op("Pow"); }
}
