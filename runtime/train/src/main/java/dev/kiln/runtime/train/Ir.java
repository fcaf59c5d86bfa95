package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

/** Short spellings of the IR ops that losses, optimizers and clipping are written in. */
final class Ir {
  private Ir() {}

  /** A scalar constant of {@code like}'s dtype. */
  static Value c(GraphBuilder b, Value like, double v) { return c(b, like.type().dtype(), v); }

  static Value c(GraphBuilder b, DType d, double v) {
    return Ops.constant(b, HostTensor.scalar(d, v));
  }

  static Value add(GraphBuilder b, Value x, Value y) { return Ops.add(b, x, y); }

  static Value sub(GraphBuilder b, Value x, Value y) { return Ops.sub(b, x, y); }

  static Value mul(GraphBuilder b, Value x, Value y) { return Ops.mul(b, x, y); }

  static Value div(GraphBuilder b, Value x, Value y) { return Ops.div(b, x, y); }

  static Value pow(GraphBuilder b, Value x, Value y) { return Ops.pow(b, x, y); }

  static Value neg(GraphBuilder b, Value x) { return Ops.neg(b, x); }

  static Value abs(GraphBuilder b, Value x) { return Ops.abs(b, x); }

  static Value exp(GraphBuilder b, Value x) { return Ops.exp(b, x); }

  static Value log(GraphBuilder b, Value x) { return Ops.log(b, x); }

  static Value sqrt(GraphBuilder b, Value x) { return Ops.sqrt(b, x); }

  static Value relu(GraphBuilder b, Value x) { return Ops.relu(b, x); }

  static Value square(GraphBuilder b, Value x) { return mul(b, x, x); }

  /** k * x for a host constant k. */
  static Value scale(GraphBuilder b, Value x, double k) { return mul(b, x, c(b, x, k)); }

  /** x + k for a host constant k. */
  static Value plus(GraphBuilder b, Value x, double k) { return add(b, x, c(b, x, k)); }

  /** k - x for a host constant k. */
  static Value rsub(GraphBuilder b, double k, Value x) { return sub(b, c(b, x, k), x); }

  /** max(x, y) = y + relu(x - y), from ops every back end has. */
  static Value max(GraphBuilder b, Value x, Value y) { return add(b, y, relu(b, sub(b, x, y))); }

  /** min(x, y) = x - relu(x - y). */
  static Value min(GraphBuilder b, Value x, Value y) { return sub(b, x, relu(b, sub(b, x, y))); }

  /** Sum over {@code axes} (all when empty). */
  static Value sum(GraphBuilder b, Value x, boolean keepdims, long... axes) {
    return Ops.reduceSum(b, x, axes, keepdims);
  }

  /** Mean over {@code axes} (all when empty). */
  static Value mean(GraphBuilder b, Value x, boolean keepdims, long... axes) {
    return Ops.reduceMean(b, x, axes, keepdims);
  }

  /** {@code x} in dtype {@code d} (x itself when it already is). */
  static Value cast(GraphBuilder b, Value x, DType d) {
    return x.type().dtype() == d ? x : Ops.cast(b, x, d);
  }
}
