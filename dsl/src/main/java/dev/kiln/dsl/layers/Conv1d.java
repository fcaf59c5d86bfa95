package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * 1-D convolution layer: x [N, C, L] to [N, O, L'] with {@code name.weight} [O, C/groups, k] and {@code name.bias} [O].
 * Options and defaults: {@link ConvLayer}. Example: {@code x.apply("c", Conv1d.of(16, 5).padding(Padding.SAME))}.
 */
public final class Conv1d extends ConvLayer<Conv1d> {
  private Conv1d(Options o) { super("Conv1d", o); }

  /** {@code out} channels, a {@code kernel} for every spatial axis ({@link #kernel(long...)} for one per axis), defaults otherwise. */
  public static Conv1d of(long out, long kernel) { return new Conv1d(Options.defaults("Conv1d", out, new long[] {kernel})); }

  @Override Conv1d with(Options options) { return new Conv1d(options); }

  @Override int spatial() { return 1; }

  @Override public <T> Tensor<T> apply(String name, Tensor<T> x) { return convolve(name, x, false); }
}
