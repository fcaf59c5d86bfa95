package dev.kiln.spec.ops;

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
 * {@link Unsqueeze} with the new axes as a run-time int64 tensor (positions in the output, negative
 * counting from its end): the output has rank(x) + k axes, which of them are the new size-1 ones is known
 * at run time. ONNX Unsqueeze-13; TF Reshape to a shape built from the axes.
 */
public final class DynamicUnsqueeze extends Op {
  @Override public String summary() { return "y = x with size-1 axes inserted at positions given at run time"; }

  @Override public Signature signature() { return Signature.inputs("x", "axes"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    int k = ShapeOperands.length(in.get(1), "axes");
    return List.of(in.get(0).withShape(ShapeOperands.unknown(in.get(0).rank() + k)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Unsqueeze", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("Reshape"); }

  /** dx = gy in x's shape; the axes get no gradient. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(DynamicReshape.like(b, gys.get(0), node.input(0)), null); }
}
