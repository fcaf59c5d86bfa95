package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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
 * y = x where x &gt; alpha, else 0, elementwise; floats. ONNX ThresholdedRelu-10 (in f64, which ONNX
 * Runtime lacks, Where/Greater); TF SelectV2(x &gt; alpha, x, 0).
 */
public final class ThresholdedRelu extends Elementwise {
  @Override public String summary() { return "y = x if x > alpha else 0"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("alpha", AttrKind.FLOAT, 1.0, "the threshold");
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("ThresholdedRelu", 10).attr("alpha").orElseFor(DType.F64, ThresholdedRelu::emitPrimitives));
  }

  private static void emitPrimitives(OnnxEmitter e) {
    OnnxMath m = OnnxMath.in(e);
    String x = e.input(0);
    m.out(m.op("Where", m.op("Greater", x, m.scalar(e.node().attrs().getDouble("alpha"))), x, m.scalar(0)));
  }

  @Override public TfLowering tf() { return TfLowering.custom("SelectV2(x > alpha, x, 0)"); }

  /** dx = gy where x &gt; alpha, else 0. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      double alpha = node.attrs().getDouble("alpha");
      return List.of(g.keep(g.greater(node.input(0), g.scalar(node.input(0), alpha)), gys.get(0)));
    };
  }
}
