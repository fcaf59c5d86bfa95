package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.OnnxMath;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = max(0, min(1, alpha * x + beta)), elementwise; floats. The defaults are ONNX's, alpha 0.2 and beta 0.5;
 * PyTorch's hardsigmoid is alpha 1/6, beta 0.5 (the DSL has both). ONNX HardSigmoid-6 (in f64, which ONNX Runtime
 * lacks, Min/Max); TF Mul, AddV2,
 * Minimum, Maximum.
 */
public final class HardSigmoid extends Elementwise {
  @Override public String summary() { return "y = max(0, min(1, alpha * x + beta))"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("alpha", AttrKind.FLOAT, 0.2, "slope (ONNX default 0.2; PyTorch uses 1/6)")
        .attr("beta", AttrKind.FLOAT, 0.5, "offset");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("HardSigmoid", 6).attr("alpha").attr("beta").orElseFor(DType.F64, HardSigmoid::emitPrimitives));
  }

  /** ONNX Runtime has no f64 HardSigmoid: Max(0, Min(1, alpha * x + beta)). */
  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String z = m.op("Add", m.op("Mul", e.input(0), m.scalar(e.node().attrs().getDouble("alpha"))),
        m.scalar(e.node().attrs().getDouble("beta")));
    m.out(m.op("Max", m.op("Min", z, m.scalar(1)), m.scalar(0)));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Mul + AddV2 + Minimum + Maximum"); }

  /** dx = gy * alpha where 0 &lt; alpha * x + beta &lt; 1, else 0 (the flat parts; PyTorch's rule). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      double alpha = node.attrs().getDouble("alpha");
      Value z = g.add(g.mul(x, alpha), g.scalar(x, node.attrs().getDouble("beta")));
      Value inside = g.keep(g.greater(z, g.scalar(z, 0)), g.mul(gys.get(0), alpha));
      return List.of(g.keep(g.less(z, g.scalar(z, 1)), inside));
    };
  }
}
