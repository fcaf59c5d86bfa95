package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = a matrix of x's (static, 2-D) shape with ones on the diagonal shifted by {@code k} (y[i, j] = 1 where
 * j - i = k, else 0), of {@code dtype}; x's values are not read. ONNX EyeLike-9; on TF a constant built on
 * the host.
 */
public final class EyeLike extends Op {
  @Override public String summary() { return "y = ones on diagonal k of a matrix shaped like x, zeros elsewhere"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("dtype", AttrKind.DTYPE, "the output dtype")
        .attr("k", AttrKind.INT, 0L, "the diagonal: 0 main, > 0 above, < 0 below");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    if (x.rank() != 2 || !x.shape().isStatic()) throw new ShapeException("input x must be a matrix of static shape, got " + x);
    return List.of(new TensorType(a.getDType("dtype"), x.shape()));
  }

  /** The output as a host tensor. */
  public static HostTensor eye(long rows, long cols, long k, DType dtype) {
    double[] v = new double[Math.toIntExact(rows * cols)];
    for (long i = 0; i < rows; i++) {
      long j = i + k;
      if (j >= 0 && j < cols) v[(int) (i * cols + j)] = 1;
    }
    return HostTensor.fromDoubles(dtype, v, rows, cols);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("EyeLike", 9).attr("dtype").attr("k")); }

  @Override public TfLowering tf() { return TfLowering.custom("Const"); }

  /** The output does not depend on x's values. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
