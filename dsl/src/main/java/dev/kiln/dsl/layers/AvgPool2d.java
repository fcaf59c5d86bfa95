package dev.kiln.dsl.layers;

/**
 * Average pooling over [N, C, H, W]; options in {@link PoolLayer}. Example: {@code x.apply(AvgPool2d.of(2))}.
 */
public final class AvgPool2d extends PoolLayer<AvgPool2d> {
  private AvgPool2d(Options o) { super("AvgPool2d", "AveragePool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static AvgPool2d of(long... kernel) { return new AvgPool2d(defaults("AvgPool2d", kernel)); }

  @Override AvgPool2d with(Options options) { return new AvgPool2d(options); }

  @Override int spatial() { return 2; }

  /** Divides by the full window, padding included (PyTorch's {@code count_include_pad}; default false here). */
  public AvgPool2d countIncludePad(boolean on) { return withCountIncludePad(on); }
}
