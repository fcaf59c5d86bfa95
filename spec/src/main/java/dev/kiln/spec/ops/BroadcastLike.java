package dev.kiln.spec.ops;

import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * y = x broadcast (NumPy rules) to the shape of {@code like}, whose values are not read. Gradient rules
 * use it to spread a reduced gradient back over an input whose dims may be symbolic. ONNX Shape-13 +
 * Expand-13; TF Shape + BroadcastTo.
 */
public final class BroadcastLike extends Op {
  @Override public String summary() { return "y = x broadcast to like's shape (like's values unused)"; }

  @Override public Signature signature() { return Signature.inputs("x", "like"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Shape target = in.get(1).shape();
    Shape b;
    try {
      b = TypeRules.broadcast(in.get(0).shape(), target);
    } catch (ShapeException e) {
      throw new ShapeException("input x " + in.get(0).shape() + " does not broadcast to like's shape " + target);
    }
    if (b.rank() != target.rank()) {
      throw new ShapeException("input x " + in.get(0).shape() + " has more axes than like's shape " + target);
    }
    for (int i = 0; i < b.rank(); i++) {
      // x may only stretch size-1 axes: a static x dim above 1 against a symbolic like dim is refused.
      if (!b.dim(i).equals(target.dim(i))) {
        throw new ShapeException("input x " + in.get(0).shape() + " does not broadcast to like's shape " + target
            + " (axis " + i + ")");
      }
    }
    return List.of(in.get(0).withShape(target));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("Expand", 13, e -> {
      String shape = e.fresh("like_shape");
      e.emit("Shape", List.of(e.input(1)), List.of(shape), Map.of());
      e.emit("Expand", List.of(e.input(0), shape), List.of(e.output(0)), Map.of());
    }));
  }

  @Override public TfLowering tf() { return TfLowering.custom("BroadcastTo"); }

  /** dx = gy (the driver sums the broadcast axes back); like's values do not matter. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(gys.get(0), null); }
}
