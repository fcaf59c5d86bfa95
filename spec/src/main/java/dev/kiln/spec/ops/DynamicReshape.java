package dev.kiln.spec.ops;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
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
 * {@link Reshape} with the target shape as a run-time int64 tensor: an entry 0 copies the input dim at
 * that position, one entry -1 is inferred (ONNX allowzero=0). The output's rank is the shape's (static)
 * length, its dims unknown until the graph runs. A constant shape imports as {@link Reshape} instead.
 * ONNX Reshape-13/14 (allowzero=0); TF Reshape after resolving the 0 entries.
 */
public final class DynamicReshape extends Op {
  @Override public String summary() { return "y = x viewed with a shape computed at run time (0 copies a dim, -1 is inferred)"; }

  @Override public Signature signature() { return Signature.inputs("x", "shape"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    int n = ShapeOperands.length(in.get(1), "shape");
    return List.of(in.get(0).withShape(ShapeOperands.unknown(n)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Reshape", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("Reshape"); }

  /** dx = gy reshaped to x's run-time shape; the shape gets no gradient. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(like(b, gys.get(0), node.input(0)), null); }

  /**
   * {@code v} (same element count as {@code x}) reshaped to x's shape: the static {@link Reshape#reshapeTo}
   * where it can (so the result keeps x's static dims in its type), else to x's run-time shape (several
   * dynamic dims it cannot tell apart).
   */
  public static Value like(GraphBuilder b, Value v, Value x) {
    try {
      return Reshape.reshapeTo(b, v, x.type().shape());
    } catch (ShapeException e) {
      return Ops.dynamicReshape(b, v, Ops.shape(b, x));
    }
  }
}
