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
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation in training form: {@code y = (x - mean) / sqrt(var + epsilon) * scale + bias} with
 * the batch's own statistics over every axis but 1, which it also outputs (mean and biased variance, for
 * the running averages). ONNX has no single op for it (BatchNormalization's training mode outputs the
 * running statistics, not the batch's), so it exports as its decomposition (ReduceMean, Sub, Mul,
 * BatchNormalization); on TensorFlow (f32) it is one FusedBatchNormV3 and its gradient one
 * FusedBatchNormGradV3 ({@link BatchNormTrainingGrad}) instead of a dozen passes over x each way.
 * {@code running_mean}/{@code running_var} name the running-statistic parameters for the eval-mode rewrite.
 */
public final class BatchNormTraining extends Op {
  @Override public String summary() {
    return "y = (x - batch mean) / sqrt(batch var + epsilon) * scale + bias per channel (axis 1), (batch mean, batch var)";
  }

  @Override public Signature signature() {
    return Signature.inputs("x", "scale", "bias").outputs(3)
        .attr("epsilon", AttrKind.FLOAT, 1e-5, "added to the variance")
        .attr("running_mean", AttrKind.STRING, "", "parameter with the running mean (for the eval-mode rewrite)")
        .attr("running_var", AttrKind.STRING, "", "parameter with the running variance");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    TypeRules.requireRankAtLeast("input x", x, 2);
    BatchNormalization.requirePerChannel("scale", in.get(1), x);
    BatchNormalization.requirePerChannel("bias", in.get(2), x);
    BatchNormalization.requireEpsilon(attrs);
    TensorType stat = new TensorType(x.dtype(), dev.kiln.spec.Shape.of(x.shape().dim(1)));
    return List.of(x, stat, stat);
  }

  @Override public OnnxLowering onnx() { return Onnx.unsupported("no single ONNX op; exported as its decomposition"); }

  @Override public TfLowering tf() { return TfLowering.custom("FusedBatchNormV3"); }

  /** TF's fused kernels take f32 (and half types); other dtypes run the decomposition. */
  @Override public boolean tfNative(Node n) { return n.input(0).type().dtype() == DType.F32; }

  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      Grad g = Grad.in(b);
      long[] axes = BatchNormalization.otherAxes(in.get(0).type().rank());
      Value m = Ops.reduceMean(b, in.get(0), axes, true);
      Value d = g.sub(in.get(0), m);
      Value v = Ops.reduceMean(b, g.mul(d, d), axes, true);
      Value mean = Ops.squeeze(b, m, axes);
      Value var = Ops.squeeze(b, v, axes);
      // NOTE: still naming the running statistics, so the eval-mode rewrite (which ONNX export runs after
      // expanding composites) turns this BatchNormalization into its inference form.
      Value y = Ops.batchNormalization(b, in.get(0), in.get(1), in.get(2), mean, var, node.attrs().getDouble("epsilon"), node.attrs().getString("running_mean"), node.attrs().getString("running_var"));
      return List.of(y, mean, var);
    };
  }

  /**
   * dx, dscale, dbias from {@link BatchNormTrainingGrad} (the batch statistics' own dependence on x
   * included); gradients reaching the mean and variance outputs add gMean / M and gVar 2 (x - mean) / M
   * to dx, M the values per channel.
   */
  @Override public Vjp vjp() {
    return Vjp.allowingMissing((b, node, gys) -> {
      Grad g = Grad.in(b);
      Value x = node.input(0);
      int rank = x.type().rank();
      Attrs eps = Attrs.of("epsilon", node.attrs().getDouble("epsilon"));
      Value dx = null;
      List<Value> out = new ArrayList<>(Arrays.asList(null, null, null));
      if (gys.get(0) != null) {
        List<Value> grads = Ops.batchNormTrainingGrad(b, gys.get(0), x, node.input(1), node.outputs().get(1), node.outputs().get(2), eps);
        dx = grads.get(0);
        out.set(1, grads.get(1));
        out.set(2, grads.get(2));
      }
      if (gys.get(1) != null || gys.get(2) != null) {
        long[] axes = BatchNormalization.otherAxes(rank);
        Value ones = g.broadcastLike(g.scalar(x, 1), x);
        Value invM = g.div(Ops.reduceMean(b, ones, axes, true), g.sumKept(ones, axes));
        Value extra = null;
        if (gys.get(1) != null) extra = g.mul(BatchNormalization.perChannel(b, gys.get(1), rank), invM);
        if (gys.get(2) != null) {
          Value centred = g.sub(x, BatchNormalization.perChannel(b, node.outputs().get(1), rank));
          Value v = g.mul(g.mul(centred, BatchNormalization.perChannel(b, gys.get(2), rank)), g.mul(invM, 2));
          extra = extra == null ? v : g.add(extra, v);
        }
        dx = dx == null ? g.broadcastLike(extra, x) : g.add(dx, extra);
      }
      out.set(0, dx);
      return out;
    });
  }
}
