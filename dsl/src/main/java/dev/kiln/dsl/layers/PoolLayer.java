package dev.kiln.dsl.layers;

import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What every pooling layer shares ({@link MaxPool1d}, {@link MaxPool2d}, {@link MaxPool3d}, {@link AvgPool1d},
 * {@link AvgPool2d}, {@link AvgPool3d}): the options, their withers and the body. The stride defaults to the kernel
 * (non-overlapping windows), padding to {@link Padding#VALID}, the output size rounds down.
 *
 * @param <S> the concrete layer, which every wither returns
 */
public abstract class PoolLayer<S extends PoolLayer<S>> implements Transform {
  /**
   * The options of a pooling layer: per-axis window and stride (null: the window), padding, whether the output size
   * rounds up ({@code ceil}), and whether average pooling divides by the full window, padding included.
   */
  public record Options(List<Long> kernel, @Nullable List<Long> stride, Padding padding, boolean ceil, boolean countIncludePad) {
    /** Checks the options. */
    public Options {
      kernel = List.copyOf(kernel);
      stride = stride == null ? null : List.copyOf(stride);
      Objects.requireNonNull(padding, "padding");
    }
  }

  private final Options o;
  private final String layer;
  private final String op;

  PoolLayer(String layer, String op, Options o) {
    this.layer = layer;
    this.op = op;
    this.o = o;
  }

  /** The default options for a window {@code kernel}. */
  static Options defaults(String layer, long[] kernel) {
    return new Options(Check.axes(layer, "kernel", 1, kernel), null, Padding.VALID, false, false);
  }

  /** The same layer kind with other options. */
  abstract S with(Options options);

  /** The number of spatial axes (1, 2 or 3). */
  abstract int spatial();

  /** The options. */
  public Options options() { return o; }

  /** Stride: one for every spatial axis, or one per axis (default: the kernel). */
  public S stride(long... s) { return with(new Options(o.kernel, Check.axes(layer, "stride", 1, s), o.padding, o.ceil, o.countIncludePad)); }

  /** Padding: {@link Padding#VALID} (the default), {@link Padding#SAME} or {@link Padding#explicit}. */
  public S padding(Padding p) { return with(new Options(o.kernel, o.stride, p, o.ceil, o.countIncludePad)); }

  /** Rounds the output size up, so a partial window at the end counts. */
  public S ceil() { return ceil(true); }

  /** Whether the output size rounds up (PyTorch's {@code ceil_mode}; default false). */
  public S ceil(boolean on) { return with(new Options(o.kernel, o.stride, o.padding, on, o.countIncludePad)); }

  /** For the average pooling layers' public wither. */
  S withCountIncludePad(boolean on) { return with(new Options(o.kernel, o.stride, o.padding, o.ceil, on)); }

  @Override
  public <T> Tensor<T> apply(Tensor<T> x) {
    int spatial = spatial();
    if (x.rank() != spatial + 2) throw Check.input(x, op, "needs input [N, C, " + spatial + " spatial axes], got " + x.type());
    long[] k = Check.perAxis(x, op, "kernel", o.kernel, spatial);
    long[] s = o.stride == null ? k : Check.perAxis(x, op, "stride", o.stride, spatial);
    long[] ones = new long[spatial];
    Arrays.fill(ones, 1);
    long[] pads = o.padding.pads(x.shape(), k, s, ones);
    GraphBuilder g = x.builder().graph();
    return x.builder().tensor(op.equals("AveragePool") ? Ops.averagePool(g, x.value(), k, s, pads, o.ceil, o.countIncludePad)
        : Ops.maxPool(g, x.value(), k, s, pads, new long[0], o.ceil));
  }

  @Override public boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((PoolLayer<?>) other).o.equals(o);
  }

  @Override public int hashCode() { return o.hashCode() * 31 + getClass().hashCode(); }

  @Override public String toString() { return Check.show(layer, o); }
}
