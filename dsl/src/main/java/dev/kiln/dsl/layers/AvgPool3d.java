package dev.kiln.dsl.layers;

/**
 * Average pooling over [N, C, D, H, W]; options in {@link PoolLayer}.
 */
public final class AvgPool3d extends PoolLayer<AvgPool3d> {
  private AvgPool3d(Options o) { super("AvgPool3d", "AveragePool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static AvgPool3d of(long... kernel) { return new AvgPool3d(defaults("AvgPool3d", kernel)); }

  @Override AvgPool3d with(Options options) { return new AvgPool3d(options); }

  @Override int spatial() { return 3; }

  /** Divides by the full window, padding included (PyTorch's {@code count_include_pad}; default false here). */
  public AvgPool3d countIncludePad(boolean on) { return withCountIncludePad(on); }
}
