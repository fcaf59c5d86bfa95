package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * 3-D convolution layer: x [N, C, D, H, W] to [N, O, D', H', W'] with {@code name.weight} [O, C/groups, kd, kh, kw]
 * and {@code name.bias} [O]. Options and defaults: {@link ConvLayer}.
 */
public final class Conv3d extends ConvLayer<Conv3d> {
  private Conv3d(Options o) { super("Conv3d", o); }

  /** {@code out} channels, a {@code kernel} for every spatial axis ({@link #kernel(long...)} for one per axis), defaults otherwise. */
  public static Conv3d of(long out, long kernel) { return new Conv3d(Options.defaults("Conv3d", out, new long[] {kernel})); }

  @Override Conv3d with(Options options) { return new Conv3d(options); }

  @Override int spatial() { return 3; }

  @Override public <T> Tensor<T> apply(String name, Tensor<T> x) { return convolve(name, x, false); }
}
