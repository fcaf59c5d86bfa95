package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * 1-D transposed convolution layer: x [N, C, L] to [N, O, L'] with {@code name.weight} [C, O/groups, k] and
 * {@code name.bias} [O]; see {@link ConvTranspose2d} for the output size and padding.
 */
public final class ConvTranspose1d extends ConvLayer<ConvTranspose1d> {
  private ConvTranspose1d(Options o) { super("ConvTranspose1d", o); }

  /** {@code out} channels, a {@code kernel} for every spatial axis ({@link #kernel(long...)} for one per axis), defaults otherwise. */
  public static ConvTranspose1d of(long out, long kernel) { return new ConvTranspose1d(Options.defaults("ConvTranspose1d", out, new long[] {kernel})); }

  @Override ConvTranspose1d with(Options options) { return new ConvTranspose1d(options); }

  @Override int spatial() { return 1; }

  /** Cells added at the end of each output axis (one value, or one per axis; default 0). */
  public ConvTranspose1d outputPadding(long... p) { return withOutputPadding(p); }

  @Override public <T> Tensor<T> apply(String name, Tensor<T> x) { return convolve(name, x, true); }
}
