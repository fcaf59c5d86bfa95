package dev.kiln.spec.ops;

import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Vjp;
import java.util.List;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;

/**
 * Mean over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceMean-11 (axes attribute, negative axes allowed; -13 only adds bfloat16) and ReduceMean-18 (axes input).
 */
public final class ReduceMean extends Reduction {
  @Override public String summary() { return "y = mean of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceMean", 11), axesInput("ReduceMean", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Mean"); }

  /** dx = gy spread back over the reduced axes and divided by their element count (a constant for
   * static dims, else counted at run time as the sum of ones like x). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      long[] axes = node.attrs().getLongs("axes");
      Value kept = keptDims(b, node, gys.get(0));
      boolean[] r = reducedAxes(x.type().shape(), axes);
      long n = 1;
      boolean staticCount = true;
      for (int i = 0; i < r.length; i++) {
        if (!r[i]) continue;
        if (x.type().shape().dim(i).isStatic()) n *= x.type().shape().dim(i).size();
        else staticCount = false;
      }
      Value scaled = staticCount ? g.mul(kept, 1.0 / n)
          : g.div(kept, g.count(x, java.util.stream.IntStream.range(0, r.length).filter(i -> r[i]).asLongStream().toArray()));
      return List.of(g.broadcastLike(scaled, x));
    };
  }
}
