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
 * {@link Tile} with the repeats as a run-time int64 tensor (one entry per axis of x); the output keeps x's
 * rank, its dims known at run time. ONNX Tile-13; TF Tile.
 */
public final class DynamicTile extends Op {
  @Override public String summary() { return "y = x repeated repeats[i] times along axis i (repeats given at run time)"; }

  @Override public Signature signature() { return Signature.inputs("x", "repeats"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    int n = ShapeOperands.length(in.get(1), "repeats");
    if (n != x.rank()) throw new ShapeException("input repeats has " + n + " entries, x " + x.shape() + " has rank " + x.rank());
    return List.of(x.withShape(ShapeOperands.unknown(n)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Tile", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Tile"); }

  /** dx sums gy's tiles (see {@link Tile}); the repeats get no gradient. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(Tile.backward(b, gys.get(0), node.input(0), node.input(1)), null);
  }
}
