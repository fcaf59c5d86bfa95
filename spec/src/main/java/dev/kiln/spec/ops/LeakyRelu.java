package dev.kiln.spec.ops;

import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;

/** y = x for x >= 0, alpha * x otherwise; floats. ONNX LeakyRelu-6 / LeakyRelu-16 (adds bfloat16). */
public final class LeakyRelu extends Elementwise {
  @Override public String summary() { return "y = x if x >= 0 else alpha * x"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("alpha", AttrKind.FLOAT, 0.01, "slope for negative inputs");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("LeakyRelu", 6).attr("alpha"), Onnx.op("LeakyRelu", 16).attr("alpha"));
  }

  @Override public TfLowering tf() { return TfLowering.op("LeakyRelu").attr("alpha", "alpha"); }
}
