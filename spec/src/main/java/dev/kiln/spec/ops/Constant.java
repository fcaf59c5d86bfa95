package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/** A constant tensor held in the node's {@code value} attribute. ONNX Constant-1 (opset 1+). */
public final class Constant extends Op {
  @Override public String summary() { return "y = value (a constant tensor)"; }

  @Override public Signature signature() {
    return Signature.inputs().required("value", AttrKind.TENSOR, "the constant's value");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return List.of(attrs.getTensor("value").type());
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Constant", 1).attr("value").lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Const").attr("value", "value"); }

  /** No inputs, so nothing to differentiate. */
  @Override public dev.kiln.spec.op.Vjp vjp() { return dev.kiln.spec.op.Vjp.NOT_DIFFERENTIABLE; }
}
