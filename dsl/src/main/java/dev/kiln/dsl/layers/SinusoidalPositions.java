package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import dev.kiln.spec.HostTensor;

/**
 * x [N, L, E] (static L and E) plus the constant sinusoidal encoding of "Attention Is All You Need":
 * PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(p / 10000^(2i/E)). No options, no parameters. Example:
 * {@code x.apply(SinusoidalPositions.of())}.
 */
public final class SinusoidalPositions implements Transform {
  private static final SinusoidalPositions INSTANCE = new SinusoidalPositions();

  private SinusoidalPositions() {}

  /** The encoding (it has no options). */
  public static SinusoidalPositions of() { return INSTANCE; }

  @Override
  public <T> Tensor<T> apply(Tensor<T> x) {
    if (x.rank() != 3 || !x.dim(1).isStatic() || !x.dim(2).isStatic()) {
      throw Check.input(x, "Add", "sinusoidal positions need x [N, L, E] with static L and E, got " + x.type());
    }
    int len = (int) x.size(1);
    int e = (int) x.size(2);
    double[] pe = new double[len * e];
    for (int p = 0; p < len; p++) {
      for (int i = 0; i < e; i++) {
        double angle = p / Math.pow(10000, (double) (i - i % 2) / e);
        pe[p * e + i] = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return x.add(x.builder().constant(HostTensor.fromDoubles(x.dtype(), pe, len, e)));
  }

  @Override public String toString() { return "SinusoidalPositions"; }
}
