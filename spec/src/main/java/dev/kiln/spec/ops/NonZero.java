package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = the indices of x's nonzero (true) elements in row-major order, one column per element: i64 [rank of x,
 * count], the count known only at run time. ONNX NonZero-9/13; TF Where (rows per element), transposed.
 */
public final class NonZero extends Op {
  @Override public String summary() { return "y = indices of the nonzero elements of x, [rank, count] (run-time count)"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    if (x.rank() < 1) throw new ShapeException("input x must have rank >= 1, got " + x);
    return List.of(new TensorType(DType.I64, Shape.of(Dim.of(x.rank()), Dim.unknown())));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("NonZero", 9), Onnx.op("NonZero", 13)); }

  @Override public TfLowering tf() { return TfLowering.custom("Where + Transpose"); }

  /** The output is indices. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
