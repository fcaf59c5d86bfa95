package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;

/**
 * ONNX ops Kiln has no IR op for but can compose from those it has: Reciprocal, Clip, Max/Min (variadic,
 * over the two-input Maximum/Minimum), BatchNormalization (inference); also LayerNormalization, onto the IR op of that name.
 */
final class CompositeImporters {
  private CompositeImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Reciprocal", (n, c) -> {
      c.onlyAttrs();
      c.define(Ops.div(c, scalar(c, c.in(0), 1), c.in(0)));
    });
    m.put("Clip", CompositeImporters::clip);
    m.put("Max", (n, c) -> extremum(c, true));
    m.put("Min", (n, c) -> extremum(c, false));
    m.put("BatchNormalization", CompositeImporters::batchNorm);
    m.put("LayerNormalization", CompositeImporters::layerNorm);
    m.put("Mean", CompositeImporters::mean);
    m.put("PRelu", (n, c) -> {
      // prelu(x) = relu(x) - slope * relu(-x), the slope broadcast against x.
      c.onlyAttrs();
      Object x = c.in(0);
      Object slope = c.in(1);
      int xr = shapeOf(x).rank();
      if (c.opset() < 7 && shapeOf(slope).rank() == 1 && xr > 2 && !shapeOf(slope).dim(0).is(1)) {
        // Before opset 7 a 1-D slope holds one value per channel (axis 1), not per last axis.
        long[] perChannel = new long[xr - 1];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = -1;
        slope = Ops.reshape(c.step(), slope, perChannel);
      }
      Object neg = Ops.mul(c.step(), slope, Ops.relu(c.step(), Ops.neg(c.step(), x)));
      c.define(Ops.sub(c, Ops.relu(c.step(), x), neg));
    });
    m.put("Expand", CompositeImporters::expand);
  }

  /** Mean of the inputs: their sum divided by their count. */
  private static void mean(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    if (c.inputCount() == 0) throw c.fail("needs at least one input");
    Object acc = c.in(0);
    for (int i = 1; i < c.inputCount(); i++) acc = Ops.add(c.step(), acc, c.in(i));
    c.define(Ops.div(c, acc, scalar(c, acc, c.inputCount())));
  }

  /**
   * Expand(x, shape) broadcasts x and shape both ways, which is what x + zeros(shape) computes for a
   * constant shape (static output dims); a shape computed at run time or folded with symbolic entries, a
   * constant x (which the op folds exactly), bool x or zeros too large to hold use the Expand op.
   * NOTE: x + 0 turns -0.0 into +0.0; no other value changes.
   */
  private static void expand(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    if (c.hasInput(1) && c.constant(1) == null || c.folded(0) instanceof dev.kiln.spec.op.Folded.Const) {
      c.define(Ops.expand(c, c.in(0), c.in(1)));
      return;
    }
    long[] shape = c.requireConstant(1, "shape").toLongs();
    long count = 1;
    for (long d : shape) {
      if (d < 0) throw c.fail("shape entries must be >= 0, got " + java.util.Arrays.toString(shape));
      count = Math.multiplyExact(count, Math.max(d, 1));
    }
    Object x = c.in(0);
    if (count > ImportContext.MAX_FOLD_ELEMENTS || dtypeOf(x) == DType.BOOL) {
      // Zeros too large to hold, or no bool Add: the Expand op, whose output dims are known at run time.
      c.define(Ops.expand(c, x, c.in(1)));
      return;
    }
    c.define(Ops.add(c, x, HostTensor.filled(dtypeOf(x), shape, 0)));
  }

  private static DType dtypeOf(Object o) { return ImportContext.typeOf(o).dtype(); }

  private static Shape shapeOf(Object o) { return ImportContext.typeOf(o).shape(); }

  /** A bound's value when it is absent ({@code open}) or a one-element constant; NaN when it is only known at run time. */
  private static double constantBound(Object bound, double open) {
    if (bound == null) return open;
    return bound instanceof HostTensor t && t.size() == 1 ? t.getDouble(0) : Double.NaN;
  }

  private static HostTensor scalar(ImportContext c, Object like, double v) {
    return HostTensor.fromDoubles(dtypeOf(like), new double[] {v});
  }

  /**
   * max(x, lo) = lo + relu(x - lo) and min(y, hi) = hi - relu(hi - y). Bounds are the attributes before
   * opset 11, constant inputs from 11 on.
   * NOTE: lo + (x - lo) rounds, so a result differs from x by up to about one ulp of |lo|.
   */
  private static void clip(NodeProto n, ImportContext c) {
    Object x = c.in(0);
    Object lo;
    Object hi;
    if (c.opset() < 11) {
      c.onlyAttrs("min", "max");
      lo = c.attr("min") == null ? null : scalar(c, x, c.attrFloat("min", 0));
      hi = c.attr("max") == null ? null : scalar(c, x, c.attrFloat("max", 0));
    } else {
      c.onlyAttrs();
      lo = c.hasInput(1) ? c.in(1) : null;
      hi = c.hasInput(2) ? c.in(2) : null;
    }
    Object y = x;
    if (lo == null && hi == null) {
      c.define(Ops.identity(c, x));
      return;
    }
    // Constant bounds (torch.onnx's ReLU6 and hardtanh): one Clip node, which re-exports as one ONNX Clip.
    double loV = constantBound(lo, Double.NEGATIVE_INFINITY);
    double hiV = constantBound(hi, Double.POSITIVE_INFINITY);
    if (x instanceof Value && !Double.isNaN(loV) && !Double.isNaN(hiV) && loV <= hiV) {
      c.define(Ops.clip(c, x, loV, hiV));
      return;
    }
    // Bounds computed at run time: max(x, lo) as lo + relu(x - lo), min(y, hi) as hi - relu(hi - y).
    if (lo != null) {
      Object r = Ops.relu(c.step(), Ops.sub(c.step(), y, lo));
      y = hi == null ? Ops.add(c, lo, r) : Ops.add(c.step(), lo, r);
    }
    if (hi != null) {
      Object r = Ops.relu(c.step(), Ops.sub(c.step(), hi, y));
      y = Ops.sub(c, hi, r);
    }
    c.define(y);
  }

  /**
   * Elementwise max (min) of the inputs, folded left over the native two-input ops (TF Maximum/Minimum, ONNX
   * Max/Min). NOTE: this once spelled max(a, b) as a + relu(b - a), which rounds, cannot hold for unsigned types
   * (b - a wraps around) and asked ONNX Runtime for Relu kernels it lacks (int16, int64).
   */
  private static void extremum(ImportContext c, boolean max) {
    c.onlyAttrs();
    if (c.inputCount() == 0) throw c.fail("needs at least one input");
    Object acc = c.in(0);
    if (c.inputCount() == 1) {
      c.define(Ops.identity(c, acc));
      return;
    }
    for (int i = 1; i < c.inputCount(); i++) {
      Object b = c.in(i);
      OpTarget<Object> t = i == c.inputCount() - 1 ? c : c.step();
      acc = max ? Ops.maximum(t, acc, b) : Ops.minimum(t, acc, b);
    }
    c.define(acc);
  }

  /** Inference: y = (x - mean) / sqrt(var + epsilon) * scale + B, each per channel (axis 1). */
  private static void batchNorm(NodeProto n, ImportContext c) {
    c.onlyAttrs("epsilon", "momentum", "training_mode", "spatial", "is_test");
    boolean training = c.attrInt("training_mode", 0) != 0;
    if (c.attrInt("spatial", 1) != 1) throw c.unsupported("spatial=0 is not supported");
    // Before opset 7 is_test defaults to 0, training mode (batch statistics); only test mode is imported.
    if (c.opset() < 7 && c.attrInt("is_test", 0) == 0) throw c.unsupported("is_test=0 (training mode) is not supported");
    if (!training) {
      for (int i = 1; i < n.getOutputCount(); i++) if (!n.getOutput(i).isEmpty()) throw c.unsupported("training outputs are not supported");
    }
    Object x = c.in(0);
    int rank = shapeOf(x).rank();
    if (rank < 2) throw c.fail("input must have rank >= 2, has " + rank);
    long[] chanShape = new long[rank - 1];
    java.util.Arrays.fill(chanShape, 1);
    chanShape[0] = -1;
    Object[] p = new Object[4];
    for (int i = 0; i < 4; i++) {
      Object v = c.in(i + 1);
      if (v == null) throw c.fail("input " + (i + 1) + " is required");
      if (dtypeOf(v) != dtypeOf(x)) v = Ops.cast(c.step(), v, dtypeOf(x));
      p[i] = Ops.reshape(c.step(), v, chanShape);
    }
    Object var = p[3];
    Object centred;
    if (training) {
      // Batch statistics over every axis but 1; the variance is the biased (population) one, as ONNX's
      // reference computes it, for normalising and for the running update alike.
      long[] axes = new long[rank - 1];
      for (int i = 0; i < axes.length; i++) axes[i] = i == 0 ? 0 : i + 1;
      Attrs reduce = Attrs.of("axes", axes, "keepdims", false);
      Object meanC = Ops.reduceMean(c.step(), x, reduce);
      centred = Ops.sub(c.step(), x, Ops.reshape(c.step(), meanC, chanShape));
      Object varC = Ops.reduceMean(c.step(), Ops.mul(c.step(), centred, centred), reduce);
      var = Ops.reshape(c.step(), varC, chanShape);
      double momentum = c.attrFloat("momentum", 0.9);
      for (int k = 0; k < 2; k++) {
        Object running = c.in(3 + k);
        if (dtypeOf(running) != dtypeOf(x)) running = Ops.cast(c.step(), running, dtypeOf(x));
        Object kept = Ops.mul(c.step(), running, scalar(c, x, momentum));
        Object fresh = Ops.mul(c.step(), k == 0 ? meanC : varC, scalar(c, x, 1 - momentum));
        c.define(1 + k, Ops.add(c.step(), kept, fresh));
      }
    } else {
      centred = Ops.sub(c.step(), x, p[2]);
    }
    Object std = Ops.sqrt(c.step(), Ops.add(c.step(), var, scalar(c, x, c.attrFloat("epsilon", 1e-5))));
    Object norm = Ops.div(c.step(), centred, std);
    c.define(Ops.add(c, Ops.mul(c.step(), norm, p[0]), p[1]));
  }

  /**
   * LayerNormalization-17 onto the IR op of that name (Mean and InvStdDev when the node names them). The
   * contrib form some exporters wrote before opset 17 (same attributes) maps the same way.
   */
  private static void layerNorm(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "epsilon", "stash_type");
    if (c.attrInt("stash_type", 1) != 1) throw c.unsupported("stash_type " + c.attrInt("stash_type", 1) + " is not supported (only 1, f32)");
    boolean stats = false;
    for (int i = 1; i < n.getOutputCount(); i++) stats |= !n.getOutput(i).isEmpty();
    Attrs attrs = Attrs.of("axis", c.attrInt("axis", -1), "epsilon", c.attrFloat("epsilon", 1e-5), "stats", stats);
    List<Object> outs = c.hasInput(2) ? Ops.layerNormalization(c, c.in(0), c.in(1), c.in(2), attrs)
        : Ops.layerNormalization(c, c.in(0), c.in(1), null, attrs);
    for (int i = 0; i < outs.size(); i++) c.define(i, outs.get(i));
  }
}
