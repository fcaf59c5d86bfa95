package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;

/**
 * Terse IR arithmetic for writing gradient rules, bound to one builder: one-node shorthands over the op facade
 * ({@code Ops}) and the small compositions gradient rules share (scalars of a value's dtype, masking, counting).
 * Every result is ordinary IR built from differentiable primitives, so gradients of gradients exist.
 */
public final class Grad {
  private final GraphBuilder b;

  private Grad(GraphBuilder b) { this.b = b; }

  /** Helpers that add nodes to {@code b}. */
  public static Grad in(GraphBuilder b) { return new Grad(b); }

  public Value add(Value x, Value y) { return Ops.add(b, x, y); }

  public Value sub(Value x, Value y) { return Ops.sub(b, x, y); }

  public Value mul(Value x, Value y) { return Ops.mul(b, x, y); }

  public Value div(Value x, Value y) { return Ops.div(b, x, y); }

  public Value neg(Value x) { return Ops.neg(b, x); }

  public Value mul(Value x, double c) { return mul(x, scalar(x, c)); }

  /** A scalar constant of {@code like}'s dtype. */
  public Value scalar(Value like, double c) {
    return Ops.constant(b, HostTensor.scalar(like.type().dtype(), c));
  }

  public Value greater(Value x, Value y) { return Ops.greater(b, x, y); }

  public Value less(Value x, Value y) { return Ops.less(b, x, y); }

  public Value equal(Value x, Value y) { return Ops.equal(b, x, y); }

  /** {@code t} where {@code cond}, else {@code f} (broadcasting). */
  public Value where(Value cond, Value t, Value f) { return Ops.where(b, cond, t, f); }

  /** {@code g} where {@code cond}, else 0. */
  public Value keep(Value cond, Value g) { return where(cond, g, scalar(g, 0)); }

  /** 0 where {@code cond}, else {@code g}. */
  public Value drop(Value cond, Value g) { return where(cond, scalar(g, 0), g); }

  /** Sum over {@code axes} keeping them as size 1. */
  public Value sumKept(Value x, long[] axes) {
    return Ops.reduceSum(b, x, axes, true);
  }

  /** {@code x} broadcast to {@code like}'s shape. */
  public Value broadcastLike(Value x, Value like) { return Ops.broadcastLike(b, x, like); }

  /**
   * The number of elements of {@code x} over {@code axes} (non-negative), a scalar of x's dtype read from its
   * shape at run time. NOTE: not a sum of ones broadcast like x, which costs a tensor the size of x.
   */
  public Value count(Value x, long[] axes) {
    Value dims = Ops.gather(b, Ops.shape(b, x), Ops.constant(b, HostTensor.ofLongs(axes, axes.length)), 0L);
    Value n = Ops.reduceProd(b, dims, new long[] {0}, false);
    return Ops.cast(b, n, x.type().dtype());
  }

  /** {@code x} converted to {@code like}'s dtype. */
  public Value castLike(Value x, Value like) {
    return Ops.cast(b, x, like.type().dtype());
  }
}
