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

  @Override public TfLowering tf() {
    return TfLowering.custom("BroadcastTo", e -> {
      int r = e.node().input(0).type().rank();
      if (e.node().input(1).type().rank() == 4 && (r == 0 || r == 4) && e.onlyChannelsLast(1)) {
        // NOTE: like is held channels-last (after a conv): broadcast in that layout, so neither like nor
        // the result needs a transpose (batch norm's statistics and gradients broadcast this way).
        Object like = e.inputChannelsLast(1);
        Object shape = e.op("Shape", List.of(like), Map.of("out_type", dev.kiln.spec.DType.I64), 1).get(0);
        Object x = r == 0 ? e.input(0) : e.inputChannelsLast(0);
        return List.of(e.channelsLast(e.op("BroadcastTo", List.of(x, shape), Map.of(), 1).get(0)));
      }
      Object shape = e.op("Shape", List.of(e.input(1)), Map.of("out_type", dev.kiln.spec.DType.I64), 1).get(0);
      return e.op("BroadcastTo", List.of(e.input(0), shape), Map.of(), 1);
    });
  }

  /** dx = gy (the driver sums the broadcast axes back); like's values do not matter. */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(gys.get(0), null); }
}
