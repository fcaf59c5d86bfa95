package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * y = min(max(x, min), max), elementwise; an infinite bound leaves that side open. ONNX Clip-13 (bounds as
 * optional constant inputs of x's dtype; an open side passes the empty name); TF Maximum then Minimum.
 */
public final class Clip extends Op {
  @Override public String summary() { return "y = min(max(x, min), max)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .attr("min", AttrKind.FLOAT, Double.NEGATIVE_INFINITY, "lower bound (-inf: none)")
        .attr("max", AttrKind.FLOAT, Double.POSITIVE_INFINITY, "upper bound (+inf: none)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireNumeric("input x", in.get(0));
    double lo = attrs.getDouble("min");
    double hi = attrs.getDouble("max");
    if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
      throw new ShapeException("attributes min <= max expected, got min " + lo + ", max " + hi);
    }
    if (in.get(0).dtype().isInteger()) {
      for (double v : new double[] {lo, hi}) {
        if (!Double.isInfinite(v) && v != Math.rint(v)) {
          throw new ShapeException("bounds of integer input x must be whole numbers, got " + v);
        }
      }
    }
    return List.of(in.get(0));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Clip", 13, Clip::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    var dtype = e.node().input(0).type().dtype();
    double lo = e.node().attrs().getDouble("min");
    double hi = e.node().attrs().getDouble("max");
    List<String> ins = new ArrayList<>(List.of(e.input(0)));
    ins.add(Double.isInfinite(lo) ? "" : e.constant(HostTensor.scalar(dtype, lo), "min"));
    if (!Double.isInfinite(hi)) ins.add(e.constant(HostTensor.scalar(dtype, hi), "max"));
    e.emit("Clip", ins, List.of(e.output(0)), Map.of());
  }

  @Override public TfLowering tf() { return TfLowering.custom("Maximum + Minimum"); }

  /** dx = gy where min &lt;= x &lt;= max (bounds included, as PyTorch's clamp), else 0. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      double lo = node.attrs().getDouble("min");
      double hi = node.attrs().getDouble("max");
      Value gx = gys.get(0);
      if (!Double.isInfinite(lo)) gx = g.drop(g.less(x, g.scalar(x, lo)), gx);
      if (!Double.isInfinite(hi)) gx = g.drop(g.greater(x, g.scalar(x, hi)), gx);
      return List.of(gx);
    };
  }
}
