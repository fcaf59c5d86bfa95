package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.op.AttrSpec.AttrKind;
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
 * y = running sums of x along an axis: y[i] = x[0] + ... + x[i], or without x[i] when {@code exclusive},
 * or summed from the end when {@code reverse}. The axis (negative counts from the end) is the attribute
 * {@code axis}, or, when the optional input {@code axis} is given (an integer scalar or 1-element vector,
 * e.g. computed at run time, as ONNX has it), that input. ONNX CumSum-11 (-14 only adds types); TF Cumsum.
 */
public final class CumSum extends Op {
  @Override public String summary() { return "y = cumulative sum of x along a run-time axis (exclusive, reverse)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "axis").optionalFrom(1)
        .attr("axis", AttrKind.INT, 0L, "the axis to sum along, when the input axis is left out")
        .attr("exclusive", AttrKind.BOOL, false, "leave each element out of its own sum")
        .attr("reverse", AttrKind.BOOL, false, "sum from the end of the axis");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    int r = x.rank();
    if (r < 1) throw new ShapeException("input x must have rank >= 1, got " + x);
    if (in.size() < 2 || in.get(1) == null) {
      long a = attrs.getLong("axis");
      if (a < -r || a >= r) throw new ShapeException("attribute axis " + a + " is out of range [" + -r + ", " + (r - 1) + "] for x " + x);
      return List.of(x);
    }
    TensorType axis = in.get(1);
    if (axis.dtype() != DType.I32 && axis.dtype() != DType.I64) throw new ShapeException("input axis must be i32 or i64, got " + axis);
    if (axis.rank() > 1 || (axis.rank() == 1 && !axis.shape().dim(0).is(1))) {
      throw new ShapeException("input axis must be a scalar or have shape [1], got " + axis);
    }
    return List.of(x);
  }

  /** The axis attribute goes in as a constant int64 scalar input. */
  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("CumSum", 11, e -> {
      Node n = e.node();
      String axis = axisInput(n) ? e.input(1) : e.constant(HostTensor.scalar(DType.I64, n.attrs().getLong("axis")), "axis");
      e.emit("CumSum", List.of(e.input(0), axis), List.of(e.output(0)),
          Map.of("exclusive", Onnx.boolToInt(n.attrs().getBool("exclusive")), "reverse", Onnx.boolToInt(n.attrs().getBool("reverse"))));
    }));
  }

  /** TF's Cumsum wants a scalar axis: a [1]-shaped input is reshaped first. */
  @Override public TfLowering tf() { return TfLowering.custom("Cumsum"); }

  /** dx = the cumulative sum of gy in the other direction (same axis and exclusiveness); axis gets none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Attrs a = node.attrs().with("reverse", !node.attrs().getBool("reverse"));
      if (!axisInput(node)) return List.of(Ops.cumSum(b, gys.get(0), null, a));
      return Arrays.asList(Ops.cumSum(b, gys.get(0), node.input(1), a), null);
    };
  }

  private static boolean axisInput(Node n) { return n.inputs().size() > 1 && n.input(1) != null; }
}
