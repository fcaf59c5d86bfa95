package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Reduction;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * Product over {@code axes} (all when empty), keeping them as size 1 when {@code keepdims}. ONNX
 * ReduceProd-13 (axes attribute) and ReduceProd-18 (axes input); TF Prod.
 */
public final class ReduceProd extends Reduction {
  @Override public String summary() { return "y = product of x over axes (all when empty)"; }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(axesAttribute("ReduceProd", 13), axesInput("ReduceProd", 18));
  }

  @Override public TfLowering tf() { return tfReduce("Prod"); }

  /**
   * Integer constants multiplied on the host (wrapping, as the runtime's integer products do); a shape
   * value's entries multiplied into one ({@code Size} of {@code [batch, 3, 4]} is {@code 12*batch}).
   * NOTE: floating products are left to the runtime: their rounding depends on the order it multiplies in.
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      Folded x = in.get(0);
      TensorType out = inferTypes(Folding.types(in), attrs).get(0);
      HostTensor t = x.constant();
      if (t != null) {
        if (t.dtype() != DType.I32 && t.dtype() != DType.I64) return null;
        boolean[] reduced = reducedAxes(t.type().shape(), attrs.getLongs("axes"));
        long[] shape = t.shape();
        long[] acc = new long[Math.toIntExact(out.shape().elementCount())];
        java.util.Arrays.fill(acc, 1);
        long[] pos = new long[shape.length];
        for (int i = 0; i < t.size(); i++) {
          long o = 0;
          for (int d = 0; d < shape.length; d++) if (!reduced[d]) o = o * shape[d] + pos[d];
          acc[(int) o] *= t.getLong(i);
          for (int d = shape.length - 1; d >= 0 && ++pos[d] == shape[d]; d--) pos[d] = 0;
        }
        return List.of(Folded.of(HostArrays.ofLongs(t.dtype(), acc, out.shape().sizes())));
      }
      if (x instanceof Folded.ShapeValue sv) {
        SymInt p = SymInt.of(1);
        for (SymInt e : sv.entries()) p = p.times(e);
        return List.of(Folded.ints(sv.dtype(), List.of(p), out.rank() == 0));
      }
      return null;
    };
  }

  /**
   * dx = gy * y / x (the product of the other elements), with gy and y restored to x's rank.
   * NOTE: y / x is 0/0 = NaN where x is 0; the exact gradient there (the product of the others) would need
   * exclusive products along each axis. Inputs with zeros get NaN gradients at the zeros.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value y = keptDims(b, node, node.output());
      Value gy = keptDims(b, node, gys.get(0));
      return List.of(g.div(g.mul(gy, y), x));
    };
  }
}
