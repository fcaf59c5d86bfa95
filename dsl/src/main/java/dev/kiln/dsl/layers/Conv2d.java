package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * 2-D convolution layer: x [N, C, H, W] to [N, O, H', W'] with {@code name.weight} [O, C/groups, kh, kw] and
 * {@code name.bias} [O] (PyTorch's {@code nn.Conv2d}). Options and defaults: {@link ConvLayer}. Example:
 * {@code x.apply("c1", Conv2d.of(32, 3).stride(2).padding(Padding.SAME).noBias())}.
 */
public final class Conv2d extends ConvLayer<Conv2d> {
  private Conv2d(Options o) { super("Conv2d", o); }

  /** {@code out} channels, a {@code kernel} for every spatial axis ({@link #kernel(long...)} for one per axis), defaults otherwise. */
  public static Conv2d of(long out, long kernel) { return new Conv2d(Options.defaults("Conv2d", out, new long[] {kernel})); }

  @Override Conv2d with(Options options) { return new Conv2d(options); }

  @Override int spatial() { return 2; }

  @Override public <T> Tensor<T> apply(String name, Tensor<T> x) { return convolve(name, x, false); }
}
