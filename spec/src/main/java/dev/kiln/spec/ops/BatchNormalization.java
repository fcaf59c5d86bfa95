package dev.kiln.spec.ops;

import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
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
 * Batch normalisation with given statistics: y = scale * (x - mean) / sqrt(var + epsilon) + bias, the
 * four per-channel vectors (length C) broadcast along axis 1 of x (N, C, D1, ...). ONNX
 * BatchNormalization-9 / -14 / -15 in inference mode. TF: a decomposition into primitives (TF's
 * FusedBatchNormV3 wants NHWC on CPU).
 *
 * <p>Training mode is this same op fed the batch statistics (mean and biased variance over every axis
 * but 1, built from primitives, so autodiff differentiates through them). Such a node names the
 * running-statistic parameters in {@code running_mean} / {@code running_var}; the eval-mode rewrite
 * ({@code spec/.../ir/EvalMode}) feeds those instead. See {@code docs/architecture.md}.
 */
public final class BatchNormalization extends Op {
  @Override public String summary() { return "y = scale * (x - mean) / sqrt(var + epsilon) + bias, per channel (axis 1)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "scale", "bias", "mean", "var")
        .attr("epsilon", AttrKind.FLOAT, 1e-5, "added to the variance")
        .attr("running_mean", AttrKind.STRING, "", "training form: parameter with the running mean ('' in inference form)")
        .attr("running_var", AttrKind.STRING, "", "training form: parameter with the running variance");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 2);
    String[] names = {"scale", "bias", "mean", "var"};
    for (int i = 1; i < 5; i++) requirePerChannel(names[i - 1], in.get(i), x);
    requireEpsilon(attrs);
    return List.of(x);
  }

  /** Input {@code name} must be a [C] vector of x's dtype, C = x's axis 1 (the batch-norm ops' type rule). */
  static void requirePerChannel(String name, TensorType p, TensorType x) {
    if (p.dtype() != x.dtype()) throw new ShapeException("input " + name + " must be " + x.dtype() + " like x, got " + p);
    TypeRules.requireRank("input " + name, p, 1);
    TypeRules.unify("input " + name + " length vs channels of x " + x, p.shape().dim(0), x.shape().dim(1));
  }

  static void requireEpsilon(Attrs attrs) {
    if (!(attrs.getDouble("epsilon") >= 0)) throw new ShapeException("attribute epsilon must be >= 0, got " + attrs.getDouble("epsilon"));
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("BatchNormalization", 9).attr("epsilon"), Onnx.op("BatchNormalization", 14).attr("epsilon"),
        Onnx.op("BatchNormalization", 15).attr("epsilon"));
  }

  @Override public TfLowering tf() { return TfLowering.custom("BatchNorm decomposed"); }

  /**
   * With r = 1/sqrt(var + eps) and xhat = (x - mean) r: dx = gy scale r; dscale = sum(gy xhat);
   * dbias = sum(gy); dmean = -sum(gy scale r); dvar = -1/2 sum(gy scale (x - mean)) r^3, the sums over every
   * axis but 1. Built from primitives, so second order exists.
   */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      int rank = x.type().rank();
      Value scale = perChannel(b, node.input(1), rank);
      Value mean = perChannel(b, node.input(3), rank);
      Value var = perChannel(b, node.input(4), rank);
      Value gy = gys.get(0);
      Value r = g.div(g.scalar(x, 1), Ops.sqrt(b, g.add(var, g.scalar(var, node.attrs().getDouble("epsilon")))));
      Value centred = g.sub(x, mean);
      Value gScaled = g.mul(gy, scale);
      Value dx = g.mul(gScaled, r);
      long[] axes = otherAxes(rank);
      Value dscale = sum(b, g.mul(gy, g.mul(centred, r)), axes);
      Value dbias = sum(b, gy, axes);
      Value dmean = g.neg(sum(b, dx, axes));
      Value r3 = g.mul(r, g.mul(r, r));
      Value dvar = g.mul(sum(b, g.mul(g.mul(gScaled, centred), r3), axes), -0.5);
      return List.of(dx, dscale, dbias, dmean, dvar);
    };
  }

  /** Every axis of a rank-{@code rank} tensor except 1. */
  static long[] otherAxes(int rank) {
    long[] a = new long[rank - 1];
    a[0] = 0;
    for (int i = 2; i < rank; i++) a[i - 1] = i;
    return a;
  }

  private static Value sum(GraphBuilder b, Value v, long[] axes) {
    return Ops.reduceSum(b, v, axes, false);
  }

  /** (C) → (C, 1, ..., 1), broadcasting along axis 1 of a rank-{@code rank} tensor. */
  static Value perChannel(GraphBuilder b, Value v, int rank) {
    if (rank == 2) return v;
    long[] axes = new long[rank - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
    return Ops.unsqueeze(b, v, axes);
  }
}
