package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ops.Ops;

/**
 * Instance norm (PyTorch's {@code InstanceNorm1d/2d/3d} with {@code affine=True}, ONNX's {@code InstanceNormalization}):
 * each channel of each sample of x (N, C, D1, ...) normalised over its spatial axes (biased variance), per-channel
 * {@code name.weight} (ones) and {@code name.bias} (zeros); group norm with one channel per group. One
 * {@code InstanceNormalization} node, no state, the same in training and eval form. Example:
 * {@code x.apply("in1", InstanceNorm.of())}.
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
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    long c = BatchNorm.channels(x, "InstanceNormalization", "instanceNorm '" + name + "'");
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      DataType<T> dt = x.dataType();
      Tensor<T> w = m.parameter("weight", dt, Shape.of(c), Initializers.ones(), c, c);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(c), Initializers.zeros(), c, c);
      // The native op (ONNX InstanceNormalization-6, a TF lowering; autodiff differentiates its decomposition).
      return m.tensor(Ops.instanceNormalization(m.graph(), x.value(), w.value(), bias.value(), o.epsilon));
    });
  }

  @Override public boolean equals(Object other) { return other instanceof InstanceNorm a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("InstanceNorm", o); }
}
