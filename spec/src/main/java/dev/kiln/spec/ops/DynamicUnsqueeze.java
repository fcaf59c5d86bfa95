package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfEmitter;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TfShapes;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

  @Override public TfLowering tf() { return TfLowering.custom("Reshape", DynamicUnsqueeze::tfUnsqueeze); }

  /** The output shape: 1 at the new axes, x's dims in order at the other positions (found with Where). */
  private static List<Object> tfUnsqueeze(TfEmitter e) {
    int r = e.node().input(0).type().rank();
    int k = Math.toIntExact(e.node().input(1).type().shape().dim(0).size());
    long n = r + k;
    long[] ones = new long[k];
    Arrays.fill(ones, 1);
    Object axes = ShapeOperands.normalizeAxes(e, e.input(1), n);
    Object mask = ShapeOperands.scatter(e, axes, TfShapes.longs(e, ones), n);
    Object free = e.op("Where", List.of(e.op("Equal", List.of(mask, TfShapes.scalar(e, 0)), Map.of(), 1).get(0)), Map.of(), 1).get(0);
    Object dims = e.op("ScatterNd", List.of(free, TfShapes.shapeOf(e, e.input(0)), TfShapes.longs(e, n)), Map.of(), 1).get(0);
    Object shape = e.op("AddV2", List.of(dims, mask), Map.of(), 1).get(0);
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }

  /** dx = gy in x's shape; the axes get no gradient. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(DynamicReshape.like(b, gys.get(0), node.input(0)), null); }
}
