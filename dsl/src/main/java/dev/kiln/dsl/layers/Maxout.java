package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * Maxout over axis 1: its C entries are taken in consecutive groups of {@code pieces} and each group gives its
 * maximum, so [N, C, ...] becomes [N, C / pieces, ...] (a reshape and a ReduceMax). Example:
 * {@code x.apply(Maxout.of(2))}.
 */
public final class Maxout implements Transform {
  /** The options: entries per group. */
  public record Options(int pieces) {
    /** Checks the options. */
    public Options {
      Check.option(pieces >= 1, "Maxout", "pieces must be >= 1, got " + pieces);
    }
  }

  private final Options o;

  private Maxout(Options o) { this.o = o; }

  /** Maxout over groups of {@code pieces} channels. */
  public static Maxout of(int pieces) { return new Maxout(new Options(pieces)); }

  /** The options. */
  public Options options() { return o; }

  /** [N, C, rest...] to [N, C / k, k, rest...], then the max over the k axis. */
  @Override
  public <T> Tensor<T> apply(Tensor<T> x) {
    int pieces = o.pieces;
    if (x.rank() < 2 || !x.dim(1).isStatic() || x.size(1) % pieces != 0) {
      throw Check.input(x, "ReduceMax", "maxout with " + pieces + " pieces needs input [N, C, ...] with a static C divisible"
          + " by it, got " + x.type());
    }
    Object[] dims = new Object[x.rank() + 1];
    dims[0] = 0; // copies N, static or not
    dims[1] = x.size(1) / pieces;
    dims[2] = pieces;
    // The dims after the channel axis move one position right, so they are given as sizes (0 would copy the wrong one).
    for (int i = 2; i < x.rank(); i++) {
      if (!x.dim(i).isStatic()) throw Check.input(x, "ReduceMax", "maxout needs static dims after the channel axis, got " + x.type());
      dims[i + 1] = x.size(i);
    }
    return x.reshape(dims).max(false, 2);
  }

  @Override public boolean equals(Object other) { return other instanceof Maxout a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("Maxout", o); }
}
