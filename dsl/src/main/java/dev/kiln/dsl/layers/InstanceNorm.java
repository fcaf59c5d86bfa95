package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * Instance norm (PyTorch's {@code InstanceNorm2d} with {@code affine=True}): each channel of each sample normalised over
 * its spatial axes, per-channel {@code name.weight} and {@code name.bias}; group norm with one channel per group.
 * Example: {@code x.apply("in1", InstanceNorm.of())}.
 */
public final class InstanceNorm implements Layer {
  /** The options: epsilon added to the variance. */
  public record Options(double epsilon) {
    /** Checks the options. */
    public Options {
      Check.option(epsilon > 0, "InstanceNorm", "epsilon must be > 0, got " + epsilon);
    }
  }

  private final Options o;

  private InstanceNorm(Options o) { this.o = o; }

  /** Instance norm with epsilon 1e-5. */
  public static InstanceNorm of() { return new InstanceNorm(new Options(BatchNorm.EPSILON)); }

  /** The options. */
  public Options options() { return o; }

  /** The epsilon added to the variance. */
  public InstanceNorm epsilon(double e) { return new InstanceNorm(new Options(e)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) { return GroupNorm.perChannel(o.epsilon).apply(name, x); }

  @Override public boolean equals(Object other) { return other instanceof InstanceNorm a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("InstanceNorm", o); }
}
