package dev.kiln.dsl;

import org.jspecify.annotations.Nullable;

/**
 * Options of a pooling layer: {@code Pool.kernel(3).stride(2).padding(Padding.SAME).ceil(true)}. The stride
 * defaults to the kernel (non-overlapping windows), padding to {@link Padding#VALID}; {@code countIncludePad}
 * only affects average pooling.
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

  public Pool padding(Padding p) { padding = p; return this; }

  /** Round the output size up, so a partial window at the end counts. */
  public Pool ceil(boolean c) { ceil = c; return this; }

  /** Average pooling divides by the full window, padding included. */
  public Pool countIncludePad(boolean c) { countIncludePad = c; return this; }

  long[] kernelFor(int spatial) { return Conv.perAxis("kernel", kernel, spatial); }

  long[] strideFor(int spatial) { return stride == null ? kernelFor(spatial) : Conv.perAxis("stride", stride, spatial); }

  Padding padding() { return padding; }

  boolean ceil() { return ceil; }

  boolean countIncludePad() { return countIncludePad; }
}
