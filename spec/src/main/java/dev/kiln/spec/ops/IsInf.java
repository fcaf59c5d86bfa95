package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = whether x is +inf (when {@code detect_positive}) or -inf (when {@code detect_negative}),
 * elementwise, BOOL; floats. ONNX IsInf-10; TF IsInf, narrowed to one sign by comparing with 0.
 */
public final class IsInf extends Op {
  @Override public String summary() { return "y = x is +inf (detect_positive) or -inf (detect_negative) (BOOL)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("detect_positive", AttrKind.BOOL, true, "whether +inf counts")
        .attr("detect_negative", AttrKind.BOOL, true, "whether -inf counts");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireFloat("input x", in.get(0));
    return List.of(new TensorType(DType.BOOL, in.get(0).shape()));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("IsInf", 10).attr("detect_positive", "detect_positive", Onnx::boolToInt)
        .attr("detect_negative", "detect_negative", Onnx::boolToInt).lowering();
  }

  @Override public TfLowering tf() { return TfLowering.custom("IsInf + LogicalAnd"); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
