package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.ShapeException;
import java.util.Arrays;

/**
 * Options of a convolution layer, built fluently:
 * {@code Conv.out(32).kernel(3).stride(2).padding(Padding.SAME).dilation(2).groups(4).bias(false)}.
 * Kernel, stride and dilation take one value for every spatial axis or one per axis. Defaults: stride 1,
 * dilation 1, {@link Padding#VALID}, 1 group, a bias, He-uniform weights and zero bias.
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

  public Conv padding(Padding p) { padding = p; return this; }

  /** Channel groups; {@code groups == in channels} makes a depthwise convolution. */
  public Conv groups(long g) { groups = g; return this; }

  public Conv bias(boolean b) { bias = b; return this; }

  /** Transposed convolutions only: cells added at the end of each output axis (one value, or one per axis). */
  public Conv outputPadding(long... p) { outputPadding = p.clone(); return this; }

  public Conv weightInit(Initializer i) { weightInit = i; return this; }

  public Conv biasInit(Initializer i) { biasInit = i; return this; }

  long outChannels() { return out; }

  long[] kernelFor(int spatial) {
    if (kernel.length == 0) throw new ShapeException("convolution needs a kernel size (Conv.out(n).kernel(k))");
    return perAxis("kernel", kernel, spatial);
  }

  long[] strideFor(int spatial) { return perAxis("stride", stride, spatial); }

  long[] dilationFor(int spatial) { return perAxis("dilation", dilation, spatial); }

  long[] outputPaddingFor(int spatial) { return perAxis("outputPadding", outputPadding, spatial); }

  Padding padding() { return padding; }

  long groups() { return groups; }

  boolean hasBias() { return bias; }

  Initializer weightInit() { return weightInit; }

  Initializer biasInit() { return biasInit; }

  /** One value repeated over the spatial axes, or exactly one per axis. */
  static long[] perAxis(String what, long[] v, int spatial) {
    if (v.length == spatial) return v.clone();
    if (v.length == 1) {
      long[] r = new long[spatial];
      Arrays.fill(r, v[0]);
      return r;
    }
    throw new ShapeException(what + " " + Arrays.toString(v) + " must have 1 or " + spatial + " entries");
  }
}
