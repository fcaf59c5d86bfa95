package dev.kiln.dsl;

import dev.kiln.dsl.layers.PoolLayer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Mutable options of a pooling layer for the shorthands {@link Tensor#maxPool2d(Pool)} and kin:
 * {@code Pool.kernel(3).stride(2).padding(Padding.SAME).ceil(true)}. The stride defaults to the kernel
 * (non-overlapping windows), padding to {@link Padding#VALID}; {@code countIncludePad} only affects average pooling.
 * The layer classes ({@link dev.kiln.dsl.layers.MaxPool2d}, ...) hold the same options immutably and do the work.
 */
public final class Pool {
  private final long[] kernel;
  private long @Nullable [] stride;
  private Padding padding = Padding.VALID;
  private boolean ceil;
  private boolean countIncludePad;

  private Pool(long[] kernel) { this.kernel = kernel.clone(); }

  /** Window size: one for every spatial axis, or one per axis. */
  public static Pool kernel(long... k) { return new Pool(k); }

  /** Stride: one for every spatial axis, or one per axis (default: the kernel). */
  public Pool stride(long... s) { stride = s.clone(); return this; }

  /** Padding: VALID (the default), SAME or explicit. */
  public Pool padding(Padding p) { padding = p; return this; }

  /** Round the output size up, so a partial window at the end counts. */
  public Pool ceil(boolean c) { ceil = c; return this; }

  /** Average pooling divides by the full window, padding included. */
  public Pool countIncludePad(boolean c) { countIncludePad = c; return this; }

  /** These options on a pooling layer class, e.g. {@code p.as(MaxPool2d::of)}; average pooling adds {@link #countIncludePad()}. */
  <S extends PoolLayer<S>> S as(Function<long[], S> of) {
    S layer = of.apply(kernel).padding(padding).ceil(ceil);
    return stride == null ? layer : layer.stride(stride);
  }

  boolean countIncludePad() { return countIncludePad; }
}
