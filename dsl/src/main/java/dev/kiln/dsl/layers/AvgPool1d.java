package dev.kiln.dsl.layers;

/**
 * Average pooling over [N, C, L]; options in {@link PoolLayer}.
 */
public final class AvgPool1d extends PoolLayer<AvgPool1d> {
  private AvgPool1d(Options o) { super("AvgPool1d", "AveragePool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static AvgPool1d of(long... kernel) { return new AvgPool1d(defaults("AvgPool1d", kernel)); }

  @Override AvgPool1d with(Options options) { return new AvgPool1d(options); }

  @Override int spatial() { return 1; }

  /** Divides by the full window, padding included (PyTorch's {@code count_include_pad}; default false here). */
  public AvgPool1d countIncludePad(boolean on) { return withCountIncludePad(on); }
}
