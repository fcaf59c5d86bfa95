package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;

/**
 * Terse IR arithmetic for writing gradient rules: each method adds one node to the builder. Every
 * result is ordinary IR built from differentiable primitives, so gradients of gradients exist.
 */
public final class Grad {
  private final GraphBuilder b;

  private Grad(GraphBuilder b) { this.b = b; }

  /** Helpers that add nodes to {@code b}. */
  public static Grad in(GraphBuilder b) { return new Grad(b); }

  public Value add(Value x, Value y) { return b.apply1("Add", Attrs.EMPTY, x, y); }

  public Value sub(Value x, Value y) { return b.apply1("Sub", Attrs.EMPTY, x, y); }

  public Value mul(Value x, Value y) { return b.apply1("Mul", Attrs.EMPTY, x, y); }

  public Value div(Value x, Value y) { return b.apply1("Div", Attrs.EMPTY, x, y); }

  public Value neg(Value x) { return b.apply1("Neg", Attrs.EMPTY, x); }

  public Value mul(Value x, double c) { return mul(x, scalar(x, c)); }

  /** A scalar constant of {@code like}'s dtype. */
  public Value scalar(Value like, double c) {
    return b.apply1("Constant", Attrs.of("value", HostTensor.scalar(like.type().dtype(), c)));
  }

  public Value greater(Value x, Value y) { return b.apply1("Greater", Attrs.EMPTY, x, y); }

  public Value less(Value x, Value y) { return b.apply1("Less", Attrs.EMPTY, x, y); }

  public Value equal(Value x, Value y) { return b.apply1("Equal", Attrs.EMPTY, x, y); }

  /** {@code t} where {@code cond}, else {@code f} (broadcasting). */
  public Value where(Value cond, Value t, Value f) { return b.apply1("Where", Attrs.EMPTY, cond, t, f); }

  /** {@code g} where {@code cond}, else 0. */
  public Value keep(Value cond, Value g) { return where(cond, g, scalar(g, 0)); }

  /** 0 where {@code cond}, else {@code g}. */
  public Value drop(Value cond, Value g) { return where(cond, scalar(g, 0), g); }

  /** Sum over {@code axes} keeping them as size 1. */
  public Value sumKept(Value x, long[] axes) {
    return b.apply1("ReduceSum", Attrs.of("axes", axes, "keepdims", true), x);
  }

  /** {@code x} broadcast to {@code like}'s shape. */
  public Value broadcastLike(Value x, Value like) { return b.apply1("BroadcastLike", Attrs.EMPTY, x, like); }

  /**
   * The number of elements of {@code x} over {@code axes} (non-negative), a scalar of x's dtype read from its
   * shape at run time. NOTE: not a sum of ones broadcast like x, which costs a tensor the size of x.
   */
  public Value count(Value x, long[] axes) {
    Value dims = b.apply1("Gather", Attrs.of("axis", 0L), b.apply1("Shape", Attrs.EMPTY, x),
        b.apply1("Constant", Attrs.of("value", HostTensor.ofLongs(axes, axes.length))));
    Value n = b.apply1("ReduceProd", Attrs.of("axes", new long[] {0}, "keepdims", false), dims);
    return b.apply1("Cast", Attrs.of("to", x.type().dtype()), n);
  }

  /** {@code x} converted to {@code like}'s dtype. */
  public Value castLike(Value x, Value like) {
    return b.apply1("Cast", Attrs.of("to", like.type().dtype()), x);
  }
}
