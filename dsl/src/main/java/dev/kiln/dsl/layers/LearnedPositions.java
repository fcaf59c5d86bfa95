package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;

/**
 * x [N, L, E] plus a learned position embedding {@code name.weight [maxLen, E]} (rows 0..L-1; N(0, 0.02)); L must be
 * static and at most maxLen. Example: {@code x.apply("pos", LearnedPositions.of(512))}.
 */
public final class LearnedPositions implements Layer {
  /** The options: the longest sequence the table covers. */
  public record Options(long maxLen) {
    /** Checks the options. */
    public Options {
      Check.option(maxLen >= 1, "LearnedPositions", "maxLen must be >= 1, got " + maxLen);
    }
  }

  private final Options o;

  private LearnedPositions(Options o) { this.o = o; }

  /** A table for sequences of up to {@code maxLen} positions. */
  public static LearnedPositions of(long maxLen) { return new LearnedPositions(new Options(maxLen)); }

  /** The options. */
  public Options options() { return o; }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    long maxLen = o.maxLen;
    if (x.rank() != 3 || !x.dim(1).isStatic() || !x.dim(2).isStatic() || x.size(1) > maxLen) {
      throw Check.input(x, "Add", "learnedPositions '" + name + "' needs x [N, L, E] with static L <= " + maxLen
          + " and static E, got " + x.type());
    }
    long e = x.size(2);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      Tensor<T> w = m.parameter("weight", x.dataType(), Shape.of(maxLen, e), Initializers.normal(0, 0.02), maxLen, e);
      return x.add(x.size(1) == maxLen ? w : w.slice(0, 0, x.size(1)));
    });
  }

  @Override public boolean equals(Object other) { return other instanceof LearnedPositions a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("LearnedPositions", o); }
}
