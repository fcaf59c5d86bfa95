package dev.kiln.dsl.layers;

/**
 * Max pooling over [N, C, H, W]; options in {@link PoolLayer}. Example:
 * {@code x.apply(MaxPool2d.of(3).stride(2).padding(Padding.explicit(1)))}.
 */
public final class MaxPool2d extends PoolLayer<MaxPool2d> {
  private MaxPool2d(Options o) { super("MaxPool2d", "MaxPool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static MaxPool2d of(long... kernel) { return new MaxPool2d(defaults("MaxPool2d", kernel)); }

  @Override MaxPool2d with(Options options) { return new MaxPool2d(options); }

  @Override int spatial() { return 2; }
}
