package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = the shape of x as an int64 vector of length rank(x), read when the graph runs (dims that are
 * symbolic or unknown in the IR). Gradients of the run-time shape ops use it to restore an input's
 * shape. ONNX Shape-13 (no start/end); TF Shape with out_type int64.
 */
public final class Shape extends Op {
  @Override public String summary() { return "y = shape of x as an int64 vector (read at run time)"; }

  @Override public Signature signature() { return Signature.inputs("x"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    return List.of(new TensorType(DType.I64, dev.kiln.spec.Shape.of((long) in.get(0).rank())));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Shape", 13).lowering(); }

  /** TF Shape; of a value held channels-last, that form's shape permuted back (no transpose of x). */
  @Override public TfLowering tf() { return TfLowering.custom("Shape"); }

  /** A shape is an integer: no gradient flows through it. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }

  /**
   * x's dims from its type (or a fill's own dims): a constant when all are static, else a shape value such
   * as {@code [batch, 64]}, whose symbolic entries Gather, Concat, Mul... carry on folding. x itself may be
   * computed at run time: only its type is read.
   */
  @Override public Folder folder() { return (in, attrs) -> List.of(Folded.ints(DType.I64, in.get(0).dims(), false)); }
}
