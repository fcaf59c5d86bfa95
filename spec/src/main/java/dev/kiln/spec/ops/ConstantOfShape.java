package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = a tensor of the run-time int64 {@code shape}, every element {@code value} (one element; its dtype
 * is y's). A constant shape is folded on import instead. ONNX ConstantOfShape-9; TF Fill.
 */
public final class ConstantOfShape extends Op {
  @Override public String summary() { return "y = tensor of a shape given at run time, filled with value"; }

  @Override public Signature signature() {
    return Signature.inputs("shape").attr("value", AttrKind.TENSOR, HostTensor.ofFloats(new float[] {0f}, 1),
        "the fill value: one element, whose dtype is the output's (default f32 0)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    int n = ShapeOperands.length(in.get(0), "shape");
    HostTensor v = attrs.getTensor("value");
    if (v.size() != 1) throw new ShapeException("value must hold one element, holds " + v.size());
    return List.of(new TensorType(v.dtype(), ShapeOperands.unknown(n)));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("ConstantOfShape", 9).attr("value", "value", v -> ((HostTensor) v).reshape(1)).lowering();
  }

  @Override public TfLowering tf() { return TfLowering.custom("Fill"); }

  /**
   * A constant of a constant shape (byte copies of the value, so i64 values stay exact), or a
   * {@link Folded.Fill} of a symbolic one ({@code zeros[1, batch, 16]}, an LSTM's initial state as
   * exporters write it) or of one too large to hold. A static entry below 0 is an error, as at run time.
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      List<SymInt> shape = in.get(0).entries();
      if (shape == null) return null;
      for (SymInt d : shape) {
        if (d.isStatic() && d.value() < 0) throw new ShapeException("shape entries must be >= 0, got " + shape);
        if (!d.isStatic() && !d.isSymbolic()) return null;
        if (d.isSymbolic() && d.factor() < 0) return null;
      }
      return List.of(Folded.fill(attrs.getTensor("value"), shape));
    };
  }

  /** The output does not depend on the shape's values smoothly: no gradient. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
