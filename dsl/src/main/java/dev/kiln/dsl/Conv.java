package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.layers.Conv2d;
import dev.kiln.dsl.layers.ConvLayer;
import dev.kiln.dsl.layers.ConvTranspose2d;
import dev.kiln.spec.ShapeException;
import java.util.function.BiFunction;

/**
 * Mutable options of a convolution, built fluently, for the shorthands {@link Tensor#conv2d(String, Conv)} and
 * kin: {@code Conv.out(32).kernel(3).stride(2).padding(Padding.SAME).dilation(2).groups(4).bias(false)}.
 * Kernel, stride and dilation take one value for every spatial axis or one per axis. Defaults: stride 1,
 * dilation 1, {@link Padding#VALID}, 1 group, a bias, He-uniform weights and zero bias. The layer classes
 * ({@link Conv2d}, {@link ConvTranspose2d}, ...) hold the same options immutably and do the work; a {@code Conv} is
 * converted to one when it is applied.
 */
public final class Conv {
  private final long out;
  private long[] kernel = {};
  private long[] stride = {1};
  private long[] dilation = {1};
  private Padding padding = Padding.VALID;
  private long groups = 1;
  private long[] outputPadding = {0};
  private boolean bias = true;
  private Initializer weightInit = Initializers.heUniform();
  private Initializer biasInit = Initializers.zeros();

  private Conv(long out) { this.out = out; }

  /** A convolution with {@code channels} output channels. */
  public static Conv out(long channels) {
    if (channels < 1) throw new ShapeException("a convolution needs >= 1 output channels, got " + channels);
    return new Conv(channels);
  }

  /** Kernel size: one for every spatial axis, or one per axis. */
  public Conv kernel(long... k) { kernel = k.clone(); return this; }

  /** Stride: one for every spatial axis, or one per axis. */
  public Conv stride(long... s) { stride = s.clone(); return this; }

  /** Dilation: one for every spatial axis, or one per axis. */
  public Conv dilation(long... d) { dilation = d.clone(); return this; }

  /** Padding: VALID (the default), SAME or explicit. */
  public Conv padding(Padding p) { padding = p; return this; }

  /** Channel groups; {@code groups == in channels} makes a depthwise convolution. */
  public Conv groups(long g) { groups = g; return this; }

  /** With or without the bias parameter. */
  public Conv bias(boolean b) { bias = b; return this; }

  /** Transposed convolutions only: cells added at the end of each output axis (one value, or one per axis). */
  public Conv outputPadding(long... p) { outputPadding = p.clone(); return this; }

  /** The weight's initializer. */
  public Conv weightInit(Initializer i) { weightInit = i; return this; }

  /** The bias's initializer. */
  public Conv biasInit(Initializer i) { biasInit = i; return this; }

  /**
   * These options on a layer class, e.g. {@code options.as(Conv2d::of)}: how the shorthands that take a {@code Conv}
   * reach the layer classes. The transposed layers add {@link #outputPaddingFor}.
   */
  <S extends ConvLayer<S>> S as(BiFunction<Long, Long, S> of) {
    if (kernel.length == 0) throw new ShapeException("convolution needs a kernel size (Conv.out(n).kernel(k))");
    return of.apply(out, kernel[0]).kernel(kernel).stride(stride).dilation(dilation).padding(padding).groups(groups).bias(bias)
        .weightInit(weightInit).biasInit(biasInit);
  }

  /** The output padding as given (one value, or one per axis). */
  long[] outputPaddingFor() { return outputPadding.clone(); }
}
