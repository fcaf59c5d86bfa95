package dev.kiln.dsl.layers;

/**
 * Max pooling over [N, C, L]; options in {@link PoolLayer}. Example: {@code x.apply(MaxPool1d.of(2))}.
 */
public final class MaxPool1d extends PoolLayer<MaxPool1d> {
  private MaxPool1d(Options o) { super("MaxPool1d", "MaxPool", o); }

  /** Windows of {@code kernel} (one size for every spatial axis, or one per axis), stride = kernel, no padding. */
  public static MaxPool1d of(long... kernel) { return new MaxPool1d(defaults("MaxPool1d", kernel)); }

  @Override MaxPool1d with(Options options) { return new MaxPool1d(options); }

  @Override int spatial() { return 1; }
}
