package dev.kiln.spec.ops;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = x for x &gt;= 0, slope * x otherwise, with {@code slope} broadcast to x's shape (one direction only:
 * slope [C, 1, 1] gives a slope per channel of x [N, C, H, W]); floats. ONNX PRelu-9 / PRelu-16 (adds
 * bfloat16); TF Greater + Mul + SelectV2.
 */
public final class PRelu extends Op {
  @Override public String summary() { return "y = x if x >= 0 else slope * x (slope broadcast to x)"; }

  @Override public Signature signature() { return Signature.inputs("x", "slope"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireFloat("input x", in.get(0));
    TypeRules.sameDType(in);
    var x = in.get(0).shape();
    var s = in.get(1).shape();
    if (s.rank() > x.rank()) throw new ShapeException("input slope " + s + " has more axes than x " + x);
    var b = TypeRules.broadcast(x, s);
    if (!b.equals(x)) throw new ShapeException("input slope " + s + " must broadcast to x's shape " + x + ", got " + b);
    return List.of(in.get(0));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("PRelu", 9), Onnx.op("PRelu", 16)); }

  @Override public TfLowering tf() { return TfLowering.custom("Greater + Mul + SelectV2"); }

  /** dx = gy where x &gt; 0 else gy * slope; dslope = gy * x where x &lt;= 0 else 0 (the driver sums the broadcast). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      Value gy = gys.get(0);
      Value pos = g.greater(x, g.scalar(x, 0));
      return List.of(g.where(pos, gy, g.mul(gy, node.input(1))), g.drop(pos, g.mul(gy, x)));
    };
  }
}
