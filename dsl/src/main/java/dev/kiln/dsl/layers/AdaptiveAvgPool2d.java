package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive average pooling of [N, C, H, W] (static H, W) to [N, C, outH, outW], as PyTorch's
 * {@code nn.AdaptiveAvgPool2d}: output cell i of an axis of size n averages input rows floor(i * n / out) to
 * ceil((i + 1) * n / out) - 1. Example: {@code x.apply(AdaptiveAvgPool2d.of(7))}.
 */
public final class AdaptiveAvgPool2d implements Transform {
  /** The options: the output's height and width. */
  public record Options(int outH, int outW) {
    /** Checks the options. */
    public Options {
      Check.option(outH >= 1 && outW >= 1, "AdaptiveAvgPool2d", "output sizes must be >= 1, got " + outH + " x " + outW);
    }
  }

  private final Options o;

  private AdaptiveAvgPool2d(Options o) { this.o = o; }

  /** Pools to {@code size} x {@code size}. */
  public static AdaptiveAvgPool2d of(int size) { return of(size, size); }

  /** Pools to {@code outH} x {@code outW}. */
  public static AdaptiveAvgPool2d of(int outH, int outW) { return new AdaptiveAvgPool2d(new Options(outH, outW)); }

  /** The options. */
  public Options options() { return o; }

  /** Per spatial axis: one AveragePool when the size divides, else slices averaged and concatenated. */
  @Override
  public <T> Tensor<T> apply(Tensor<T> x) {
    if (x.rank() != 4 || !x.dim(2).isStatic() || !x.dim(3).isStatic()) {
      throw Check.input(x, "AveragePool", "adaptiveAvgPool2d(" + o.outH + ", " + o.outW + ") needs input [N, C, H, W] with"
          + " static H and W, and outputs >= 1, got " + x.type());
    }
    return axis(axis(x, 2, o.outH), 3, o.outW);
  }

  /**
   * NOTE: a mean over a box equals the mean over its rows of the row means (every row has the same length),
   * so pooling one axis after the other is exact.
   */
  private static <T> Tensor<T> axis(Tensor<T> x, int axis, int out) {
    long n = x.size(axis);
    if (n == out) return x;
    if (n % out == 0) {
      long[] k = {1, 1};
      k[axis - 2] = n / out;
      return AvgPool2d.of(k).apply(x);
    }
    List<Tensor<T>> cells = new ArrayList<>();
    for (long i = 0; i < out; i++) {
      long start = Math.floorDiv(i * n, out);
      long end = Math.floorDiv((i + 1) * n + out - 1, out);
      cells.add(x.slice(axis, start, end).mean(true, axis));
    }
    @SuppressWarnings("unchecked")
    Tensor<T>[] rest = cells.subList(1, cells.size()).toArray(new Tensor[0]);
    return rest.length == 0 ? cells.get(0) : cells.get(0).concat(axis, rest);
  }

  @Override public boolean equals(Object other) { return other instanceof AdaptiveAvgPool2d a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("AdaptiveAvgPool2d", o); }
}
