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
 * Maximum over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceMax-11 (axes attribute, negative axes allowed; -12/-13 only add types) and ReduceMax-18 (axes input).
 */
public final class ReduceMax extends Reduction {
  @Override public String summary() { return "y = max of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceMax", 11), axesInput("ReduceMax", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Max"); }

  /** dx = gy at the elements equal to the max, split evenly among ties (as PyTorch's {@code amax} does), 0
   * elsewhere. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      long[] axes = node.attrs().getLongs("axes");
      Value mask = g.castLike(g.equal(x, keptDims(b, node, node.output())), x);
      Value share = g.div(keptDims(b, node, gys.get(0)), g.sumKept(mask, axes));
      return List.of(g.mul(mask, share));
    };
  }
}
