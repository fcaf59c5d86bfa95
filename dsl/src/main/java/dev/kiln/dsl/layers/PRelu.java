package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import java.util.Arrays;

/**
 * PReLU with a learned slope per channel (axis 1 of x [N, C, ...]; the last axis of a rank-1 x), PyTorch's
 * {@code nn.PReLU(num_parameters=C)}: {@code name.weight} [C, 1, ...] broadcasting over the axes after the channel axis.
 * Example: {@code x.apply("act", PRelu.of())}.
 */
public final class PRelu implements Layer {
  /** PyTorch's initial slope. */
  public static final double INIT = 0.25;

  /** The options: the slopes' initial value. */
  public record Options(double init) {}

  private final Options o;

  private PRelu(Options o) { this.o = o; }

  /** PReLU with slopes starting at 0.25. */
  public static PRelu of() { return new PRelu(new Options(INIT)); }

  /** The options. */
  public Options options() { return o; }

  /** The slopes' initial value. */
  public PRelu init(double slope) { return new PRelu(new Options(slope)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    int channelAxis = x.rank() >= 2 ? 1 : 0;
    if (x.rank() < 1 || !x.dim(channelAxis).isStatic()) {
      throw Check.input(x, "PRelu", "prelu '" + name + "' needs a static channel axis " + channelAxis + ", got " + x.type());
    }
    long[] shape = new long[x.rank() - channelAxis];
    Arrays.fill(shape, 1);
    shape[0] = x.size(channelAxis);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      Tensor<T> slope = m.parameter("weight", x.dataType(), Shape.of(shape), Initializers.constant(o.init), shape[0], shape[0]);
      return x.prelu(slope);
    });
  }

  @Override public boolean equals(Object other) { return other instanceof PRelu a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("PRelu", o); }
}
