package dev.kiln.dsl.layers;

/**
 * Max pooling over [N, C, D, H, W]; options in {@link PoolLayer}.
 */
public final class MaxPool3d extends PoolLayer<MaxPool3d> {
  private MaxPool3d(Options o) { super("MaxPool3d", "MaxPool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static MaxPool3d of(long... kernel) { return new MaxPool3d(defaults("MaxPool3d", kernel)); }

  @Override MaxPool3d with(Options options) { return new MaxPool3d(options); }

  @Override int spatial() { return 3; }
}
