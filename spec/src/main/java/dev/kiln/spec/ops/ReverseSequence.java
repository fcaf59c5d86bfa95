package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
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
import java.util.Arrays;
import java.util.List;

/**
 * y = x with, for each batch entry b, its first {@code lengths[b]} steps along {@code time_axis} in reverse order and
 * the rest left in place (padded sequences reversed for a backward RNN). {@code batch_axis} and {@code time_axis} are
 * 0 and 1 in either order; lengths is an int64 vector of one entry per batch entry, each in [0, time steps] at run
 * time. ONNX ReverseSequence-10; TF ReverseSequence.
 */
public final class ReverseSequence extends Op {
  @Override public String summary() { return "y = x with each batch entry's first lengths[b] time steps reversed"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "lengths")
        .attr("batch_axis", AttrKind.INT, 1L, "the batch axis (0 or 1)")
        .attr("time_axis", AttrKind.INT, 0L, "the time axis (1 or 0, not the batch axis)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    TensorType lengths = in.get(1);
    if (x.rank() < 2) throw new ShapeException("input x must have rank >= 2, got " + x);
    long batch = a.getLong("batch_axis");
    long time = a.getLong("time_axis");
    if ((batch != 0 && batch != 1) || (time != 0 && time != 1) || batch == time) {
      throw new ShapeException("attributes batch_axis " + batch + " and time_axis " + time + " must be 0 and 1 in some order");
    }
    if (lengths.dtype() != DType.I64 || lengths.rank() != 1) throw new ShapeException("input lengths must be an i64 vector, got " + lengths);
    TypeRules.unify("input lengths must have one entry per batch entry of x " + x.shape(), lengths.shape().dim(0), x.shape().dim((int) batch));
    return List.of(x);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("ReverseSequence", 10).attr("batch_axis").attr("time_axis")); }

  @Override public TfLowering tf() { return TfLowering.op("ReverseSequence").attr("batch_axis", "batch_dim").attr("time_axis", "seq_dim"); }

  /** The reversal is a permutation that is its own inverse: dx = the same reversal of gy; lengths get none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(Ops.reverseSequence(b, gys.get(0), node.input(1), node.attrs()), null);
  }
}
