package dev.kiln.spec.ops;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Squeeze} with the size-1 axes to drop as a run-time int64 tensor of static length k (negative
 * counting from the end): the output has rank(x) - k axes. ONNX Squeeze-13; TF Reshape to x's shape
 * without the dropped entries.
 */
public final class DynamicSqueeze extends Op {
  @Override public String summary() { return "y = x without the size-1 axes given at run time"; }

  @Override public Signature signature() { return Signature.inputs("x", "axes"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    int k = ShapeOperands.length(in.get(1), "axes");
    int r = in.get(0).rank();
    if (k > r) throw new ShapeException("input axes has " + k + " entries, more than x's rank " + r);
    return List.of(in.get(0).withShape(ShapeOperands.unknown(r - k)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Squeeze", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("Reshape"); }

  /** dx = gy in x's shape; the axes get no gradient. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(DynamicReshape.like(b, gys.get(0), node.input(0)), null); }
}
