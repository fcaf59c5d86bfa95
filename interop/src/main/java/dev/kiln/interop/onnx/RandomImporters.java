package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * The random ops: {@code RandomUniformLike} (the IR op of that name) and, composed on it as ONNX's own function
 * bodies spell them, {@code Bernoulli} (opset 15: 1 where a uniform draw is below the probability) and the training
 * form of {@code Dropout} (opset 12+: a {@code training_mode} input that is true or computed at run time, and a
 * ratio that may be computed at run time too). A node's {@code seed} attribute makes its draws a pure function of
 * the seed; without one each run draws anew. Values cannot match another generator's, so the conformance suite
 * checks these by distribution (see {@code RandomOutputs} in samples' tests).
 */
final class RandomImporters {
  private RandomImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("RandomUniformLike", RandomImporters::randomUniformLike);
    m.put("Bernoulli", RandomImporters::bernoulli);
  }

  /** Uniform draws of the node's dtype (default: the input's) on [low, high), seeded when the node says so. */
  private static Object uniform(OpTarget<Object> s, ImportContext c, Object like, DType dtype, double low, double high) {
    boolean seeded = c.attr("seed") != null;
    return Ops.randomUniformLike(s, like, dtype, low, high, seeded, c.attrFloat("seed", 0));
  }

  private static DType dtypeAttr(ImportContext c, DType dflt) {
    return c.attr("dtype") == null ? dflt : (DType) ProtoAttrs.toIr(c.attr("dtype"), AttrKind.DTYPE, c);
  }

  private static void randomUniformLike(NodeProto n, ImportContext c) {
    c.onlyAttrs("dtype", "high", "low", "seed");
    DType dt = dtypeAttr(c, ImportContext.typeOf(c.in(0)).dtype());
    if (!dt.isFloating()) throw c.fail("attribute dtype must be a floating type, got " + dt);
    c.define(uniform(c, c, c.in(0), dt, c.attrFloat("low", 0), c.attrFloat("high", 1)));
  }

  /** y = Cast(u < p) with u uniform on [0, 1) shaped like p: 1 with probability p. */
  private static void bernoulli(NodeProto n, ImportContext c) {
    c.onlyAttrs("dtype", "seed");
    Object p = c.in(0);
    DType pt = ImportContext.typeOf(p).dtype();
    if (!pt.isFloating()) throw c.fail("input must be floating probabilities, got " + pt);
    DType out = dtypeAttr(c, pt);
    OpTarget<Object> s = c.step();
    Object below = Ops.less(s, uniform(s, c, p, pt, 0, 1), p);
    c.define(Ops.cast(c, below, out));
  }

  /**
   * Dropout in training form: drop = u < ratio (u uniform on [0, 1) like x), y = drop ? 0 : x / (1 - ratio),
   * mask = not drop; with a run-time {@code training_mode} t, y = t ? that : x and mask = t ? that : true.
   * NOTE: ratio 1 drops everything (u < 1 always) and gives 0s, not x * inf.
   */
  static void dropoutTraining(ImportContext c, HostTensor trainingConstant) {
    Object x = c.in(0);
    DType dt = ImportContext.typeOf(x).dtype();
    Object ratio = c.hasInput(1) ? c.in(1) : HostTensor.scalar(dt, 0.5);
    if (!(ratio instanceof HostTensor) && ImportContext.typeOf(ratio).dtype() != dt) {
      ratio = Ops.cast(c.step(), ratio, dt);
    } else if (ratio instanceof HostTensor r && r.dtype() != dt) {
      ratio = HostTensor.scalar(dt, r.getDouble(0));
    }
    OpTarget<Object> s = c.step();
    Object drop = Ops.less(s, uniform(s, c, x, dt, 0, 1), ratio);
    Object scale = Ops.div(s, HostTensor.scalar(dt, 1), Ops.sub(s, HostTensor.scalar(dt, 1), ratio));
    Object y = Ops.where(s, drop, HostTensor.scalar(dt, 0), Ops.mul(s, x, scale));
    Object mask = Ops.equal(s, drop, HostTensor.ofBooleans(new boolean[] {false}));
    if (trainingConstant == null) {
      Object t = c.in(2);
      if (ImportContext.typeOf(t).dtype() != DType.BOOL) throw c.fail("input 2 (training_mode) must be bool, got " + ImportContext.typeOf(t).dtype());
      y = Ops.where(s, t, y, x);
      // mask = kept or not training, as int(kept) + int(not t) > 0 (ONNX Runtime has no bool Where).
      Object off = Ops.equal(s, t, HostTensor.ofBooleans(new boolean[] {false}));
      Object sum = Ops.add(s, Ops.cast(s, mask, DType.I32), Ops.cast(s, off, DType.I32));
      mask = Ops.greater(s, sum, HostTensor.scalar(DType.I32, 0));
    }
    c.define(Ops.identity(c, y));
    c.define(1, mask);
  }
}
