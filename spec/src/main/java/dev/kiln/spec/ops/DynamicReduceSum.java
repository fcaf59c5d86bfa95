package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ReduceSum} over axes given as a run-time int64 tensor (negative counting from the end). An
 * empty axes tensor (its length is static) reduces every axis, or none with {@code noop_with_empty_axes}.
 * The output's rank follows from the axes' length; its dims are known at run time. A constant axes
 * tensor imports as ReduceSum. ONNX ReduceSum-13; TF Sum.
 */
public final class DynamicReduceSum extends Op {
  @Override public String summary() { return "y = sum of x over axes given at run time"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "axes")
        .attr("keepdims", AttrKind.BOOL, true, "keep reduced axes as size 1")
        .attr("noop_with_empty_axes", AttrKind.BOOL, false, "empty axes reduce nothing (else every axis)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireNumeric("input x", x);
    int n = ShapeOperands.length(in.get(1), "axes");
    if (n > x.rank()) throw new dev.kiln.spec.ShapeException("input axes has " + n + " entries, more than x's rank " + x.rank());
    if (n == 0) {
      if (attrs.getBool("noop_with_empty_axes")) return List.of(x);
      return List.of(x.withShape(attrs.getBool("keepdims") ? dev.kiln.spec.Shape.of(ones(x.rank())) : dev.kiln.spec.Shape.scalar()));
    }
    // NOTE: repeated axes are invalid in ONNX; the rank assumes n distinct axes.
    return List.of(x.withShape(ShapeOperands.unknown(attrs.getBool("keepdims") ? x.rank() : x.rank() - n)));
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    Arrays.fill(a, 1);
    return a;
  }

  @Override public OnnxLowering onnx() {
    return Onnx.op("ReduceSum", 13).attr("keepdims", "keepdims", Onnx::boolToInt)
        .attr("noop_with_empty_axes", "noop_with_empty_axes", Onnx::boolToInt).lowering();
  }

  @Override public TfLowering tf() { return TfLowering.custom("Sum"); }

  /**
   * dx = gy in the keepdims shape (that of the same sum with keepdims, read at run time), broadcast to x's
   * shape by Expand.
   */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(back(b, node, gys.get(0)), null); }

  private static Value back(GraphBuilder b, Node node, Value gy) {
    Value x = node.input(0);
    Value kept = gy;
    if (!node.attrs().getBool("keepdims")) {
      Value keptSum = Ops.dynamicReduceSum(b, x, node.input(1), node.attrs().with("keepdims", true));
      kept = Ops.dynamicReshape(b, gy, Ops.shape(b, keptSum));
    }
    Value spread = Ops.expand(b, kept, Ops.shape(b, x));
    return DynamicReshape.like(b, spread, x);
  }
}
