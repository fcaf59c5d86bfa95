package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ops.Ops;

/**
 * Group norm (PyTorch's {@code nn.GroupNorm}): the channels (axis 1) of x [N, C, ...] in {@code groups} groups, each
 * normalised per sample over its channels and spatial axes (biased variance); per-channel {@code name.weight} (ones) and
 * {@code name.bias} (zeros). A composition of primitives, the same in training and eval form. Example:
 * {@code x.apply("gn", GroupNorm.of(8))}; {@link InstanceNorm} is the case of one channel per group.
 */
public final class GroupNorm implements Layer {
  /** The options: the number of groups, epsilon added to the variance. */
  public record Options(long groups, double epsilon) {
    /** Checks the options. */
    public Options {
      Check.option(groups >= 1, "GroupNorm", "groups must be >= 1, got " + groups);
      Check.option(epsilon > 0, "GroupNorm", "epsilon must be > 0, got " + epsilon);
    }
  }

  private final Options o;

  private GroupNorm(Options o) { this.o = o; }

  /** Group norm over {@code groups} groups of channels, epsilon 1e-5. */
  public static GroupNorm of(long groups) {
    Check.option(groups >= 1, "GroupNorm", "groups must be >= 1, got " + groups);
    return new GroupNorm(new Options(groups, BatchNorm.EPSILON));
  }

  /** The options. */
  public Options options() { return o; }

  /** The epsilon added to the variance. */
  public GroupNorm epsilon(double e) { return new GroupNorm(new Options(o.groups, e)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    long c = BatchNorm.channels(x, "ReduceMean", "groupNorm '" + name + "'");
    long groups = o.groups;
    if (c % groups != 0) {
      throw Check.input(x, "ReduceMean", "groupNorm '" + name + "': " + groups + " groups must divide the " + c + " channels of " + x.type());
    }
    long[] back = new long[x.rank()];
    for (int i = 1; i < x.rank(); i++) {
      if (!x.dim(i).isStatic()) throw Check.input(x, "ReduceMean", "groupNorm '" + name + "' needs static non-batch dims, got " + x.type());
      back[i] = x.size(i);
    }
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      DataType<T> dt = x.dataType();
      Tensor<T> w = m.parameter("weight", dt, Shape.of(c), Initializers.ones(), c, c);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(c), Initializers.zeros(), c, c);
      Tensor<T> grouped = m.tensor(Ops.reshape(m.graph(), x.value(), new long[] {0, groups, -1}));
      Tensor<T> y = m.tensor(Ops.reshape(m.graph(), normalise(grouped, new int[] {2}).value(), back));
      return y.mul(perChannel(w, x.rank())).add(perChannel(bias, x.rank()));
    });
  }

  /** (x - mean) / sqrt(var + eps) over {@code axes}, the biased variance. */
  private <T> Tensor<T> normalise(Tensor<T> x, int[] axes) {
    Tensor<T> d = x.sub(x.mean(true, axes));
    Tensor<T> var = d.mul(d).mean(true, axes);
    return d.div(var.add(o.epsilon).sqrt());
  }

  /** (C) to (C, 1, ..., 1), broadcasting along axis 1. */
  private static <T> Tensor<T> perChannel(Tensor<T> v, int rank) {
    if (rank == 2) return v;
    int[] axes = new int[rank - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
    return v.unsqueeze(axes);
  }

  @Override public boolean equals(Object other) { return other instanceof GroupNorm a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("GroupNorm", o); }
}
