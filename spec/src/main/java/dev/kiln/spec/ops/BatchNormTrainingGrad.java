package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import java.util.List;

/**
 * The gradient of {@link BatchNormTraining} for the output y, the batch statistics' dependence on x
 * included: with r = 1/sqrt(var + epsilon), xhat = (x - mean) r and the means over every axis but 1,
 * dx = scale r (gy - mean(gy) - xhat mean(gy xhat)), dscale = sum(gy xhat), dbias = sum(gy). A composite:
 * that arithmetic is its decomposition (exported to ONNX as such, and differentiated for second order);
 * on TensorFlow (f32) one FusedBatchNormGradV3.
 */
public final class BatchNormTrainingGrad extends Op {
  @Override public String summary() { return "(dx, dscale, dbias) of training-form batch norm for gy, given x, scale and the batch statistics"; }

  @Override public Signature signature() {
    return Signature.inputs("gy", "x", "scale", "mean", "var").outputs(3).attr("epsilon", AttrKind.FLOAT, 1e-5, "added to the variance");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType gy = in.get(0);
    TensorType x = in.get(1);
    TypeRules.requireFloat("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 2);
    if (gy.dtype() != x.dtype() || !gy.shape().equals(x.shape())) throw new ShapeException("input gy must be x's type " + x + ", got " + gy);
    String[] names = {"scale", "mean", "var"};
    for (int i = 2; i < 5; i++) BatchNormalization.requirePerChannel(names[i - 2], in.get(i), x);
    BatchNormalization.requireEpsilon(attrs);
    return List.of(x, in.get(2), in.get(2));
  }

  @Override public OnnxLowering onnx() { return Onnx.unsupported("no ONNX op; exported as its decomposition"); }

  @Override public TfLowering tf() { return TfLowering.custom("FusedBatchNormGradV3"); }

  /** TF's fused kernels take f32 (and half types); other dtypes run the decomposition. */
  @Override public boolean tfNative(Node n) { return n.input(1).type().dtype() == DType.F32; }

  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      Grad g = Grad.in(b);
      Value gy = in.get(0);
      Value x = in.get(1);
      int rank = x.type().rank();
      long[] axes = BatchNormalization.otherAxes(rank);
      Value var = BatchNormalization.perChannel(b, in.get(4), rank);
      Value r = g.div(g.scalar(var, 1), Ops.sqrt(b, g.add(var, g.scalar(var, node.attrs().getDouble("epsilon")))));
      Value xhat = g.mul(g.sub(x, BatchNormalization.perChannel(b, in.get(3), rank)), r);
      Value gxhat = g.mul(gy, xhat);
      Value dbias = Ops.reduceSum(b, gy, axes, false);
      Value dscale = Ops.reduceSum(b, gxhat, axes, false);
      Value meanGy = Ops.reduceMean(b, gy, axes, true);
      Value meanGxhat = Ops.reduceMean(b, gxhat, axes, true);
      Value inner = g.sub(g.sub(gy, meanGy), g.mul(xhat, meanGxhat));
      Value dx = g.mul(g.mul(BatchNormalization.perChannel(b, in.get(2), rank), r), inner);
      return List.of(dx, dscale, dbias);
    };
  }
}
