package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/** y = whether x is NaN, elementwise, BOOL; floats. ONNX IsNaN-9 / IsNaN-13 (adds bfloat16); TF IsNan. */
public final class IsNaN extends Op {
  @Override public String summary() { return "y = isnan(x) (BOOL)"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireFloat("input x", in.get(0));
    return List.of(new TensorType(DType.BOOL, in.get(0).shape()));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("IsNaN", 9), Onnx.op("IsNaN", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("IsNan"); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
