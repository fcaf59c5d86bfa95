package dev.kiln.dsl.layers;

import dev.kiln.dsl.Tensor;

/**
 * 2-D transposed convolution layer: x [N, C, H, W] to [N, O, H', W'] with {@code name.weight} [C, O/groups, kh, kw]
 * (PyTorch's layout) and {@code name.bias} [O]; H' = (H - 1) * stride - padBegin - padEnd + dilation * (k - 1)
 * + outputPadding + 1. Padding is VALID or explicit (cells cropped from the output); SAME is refused. Example:
 * {@code x.apply("up", ConvTranspose2d.of(16, 4).stride(2).padding(Padding.explicit(1)))}.
 */
public final class ConvTranspose2d extends ConvLayer<ConvTranspose2d> {
  private ConvTranspose2d(Options o) { super("ConvTranspose2d", o); }

  /** {@code out} channels, a {@code kernel} for every spatial axis ({@link #kernel(long...)} for one per axis), defaults otherwise. */
  public static ConvTranspose2d of(long out, long kernel) { return new ConvTranspose2d(Options.defaults("ConvTranspose2d", out, new long[] {kernel})); }

  @Override ConvTranspose2d with(Options options) { return new ConvTranspose2d(options); }

  @Override int spatial() { return 2; }

  /** Cells added at the end of each output axis (one value, or one per axis; default 0). */
  public ConvTranspose2d outputPadding(long... p) { return withOutputPadding(p); }

  @Override public <T> Tensor<T> apply(String name, Tensor<T> x) { return convolve(name, x, true); }
}
