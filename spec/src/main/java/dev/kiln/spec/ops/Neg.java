package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostMath;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/** y = -x, elementwise; floats and signed integers. ONNX Neg-6 / Neg-13 (adds bfloat16). */
public final class Neg extends Elementwise {
  @Override public String summary() { return "y = -x"; }

  @Override protected boolean floatOnly() { return false; }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    // ONNX Neg has no unsigned types: negating a u8 has no meaning there.
    if (in.get(0).dtype().isUnsigned()) throw new ShapeException("input x must be a float or signed integer tensor, got " + in.get(0));
    return super.inferTypes(in, attrs);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Neg", 6), Onnx.op("Neg", 13)); }

  @Override public TfLowering tf() { return TfLowering.op("Neg"); }

  /**
   * Constants in their dtype (-0.0 and NaN signs as IEEE negation gives them; the smallest integer wraps to
   * itself, as two's complement does at run time); shape values entry by entry (-batch).
   */
  @Override public dev.kiln.spec.op.Folder folder() {
    return (in, attrs) -> {
      HostTensor t = in.get(0).constant();
      if (t != null) return HostMath.supports(t.dtype()) ? List.of(Folded.of(HostMath.unary(t, v -> -v, v -> -v))) : null;
      return Folding.entrywise(in.get(0), Folded.of(HostTensor.scalar(in.get(0).type().dtype(), 0)), (x, unused) -> dev.kiln.spec.op.SymInt.of(-1).times(x));
    };
  }

  /** dx = -gy. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> java.util.List.of(Grad.in(b).neg(gys.get(0)));
  }
}
