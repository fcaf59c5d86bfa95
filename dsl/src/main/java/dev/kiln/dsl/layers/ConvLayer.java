package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Objects;

/**
 * What every convolution layer shares ({@link Conv1d}, {@link Conv2d}, {@link Conv3d}, {@link ConvTranspose1d},
 * {@link ConvTranspose2d}, {@link SeparableConv2d}): the options and their withers, and the body of a Conv or
 * ConvTranspose layer. Kernel, stride and dilation take one value for every spatial axis or one per axis. Defaults:
 * stride 1, dilation 1, {@link Padding#VALID}, 1 group, a bias, He-uniform weight, zero bias.
 *
 * @param <S> the concrete layer, which every wither returns
 */
public abstract class ConvLayer<S extends ConvLayer<S>> implements Layer {
  /** The default weight initializer (one instance, so equal options compare equal). */
  public static final Initializer DEFAULT_WEIGHT_INIT = Initializers.heUniform();
  /** The default bias initializer. */
  public static final Initializer DEFAULT_BIAS_INIT = Initializers.zeros();

  /**
   * The options of a convolution: output channels, per-axis kernel, stride and dilation, padding, channel groups,
   * output padding (transposed convolutions only), bias, initializers.
   */
  public record Options(long out, List<Long> kernel, List<Long> stride, List<Long> dilation, Padding padding, long groups,
                        List<Long> outputPadding, boolean bias, Initializer weightInit, Initializer biasInit) {
    /** Checks the options. */
    public Options {
      Check.option(out >= 1, "Conv", "out channels must be >= 1, got " + out);
      Check.option(groups >= 1, "Conv", "groups must be >= 1, got " + groups);
      kernel = List.copyOf(kernel);
      stride = List.copyOf(stride);
      dilation = List.copyOf(dilation);
      outputPadding = List.copyOf(outputPadding);
      Objects.requireNonNull(padding, "padding");
      Objects.requireNonNull(weightInit, "weightInit");
      Objects.requireNonNull(biasInit, "biasInit");
    }

    /** {@code out} channels, the given kernel, every other option at its default. */
    static Options defaults(String layer, long out, long[] kernel) {
      Check.option(out >= 1, layer, "out channels must be >= 1, got " + out);
      return new Options(out, Check.axes(layer, "kernel", 1, kernel), List.of(1L), List.of(1L), Padding.VALID, 1,
          List.of(0L), true, DEFAULT_WEIGHT_INIT, DEFAULT_BIAS_INIT);
    }
  }

  private final Options o;
  private final String layer;

  ConvLayer(String layer, Options o) {
    this.layer = layer;
    this.o = o;
  }

  /** The same layer kind with other options. */
  abstract S with(Options options);

  /** The number of spatial axes (1, 2 or 3). */
  abstract int spatial();

  /** The options. */
  public Options options() { return o; }

  /** Kernel size: one for every spatial axis, or one per axis. */
  public S kernel(long... k) {
    return with(new Options(o.out, Check.axes(layer, "kernel", 1, k), o.stride, o.dilation, o.padding, o.groups, o.outputPadding,
        o.bias, o.weightInit, o.biasInit));
  }

  /** Stride: one for every spatial axis, or one per axis. */
  public S stride(long... s) {
    return with(new Options(o.out, o.kernel, Check.axes(layer, "stride", 1, s), o.dilation, o.padding, o.groups, o.outputPadding,
        o.bias, o.weightInit, o.biasInit));
  }

  /** Dilation: one for every spatial axis, or one per axis. */
  public S dilation(long... d) {
    return with(new Options(o.out, o.kernel, o.stride, Check.axes(layer, "dilation", 1, d), o.padding, o.groups, o.outputPadding,
        o.bias, o.weightInit, o.biasInit));
  }

  /** Padding: {@link Padding#VALID} (the default), {@link Padding#SAME} or {@link Padding#explicit}. */
  public S padding(Padding p) {
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, p, o.groups, o.outputPadding, o.bias, o.weightInit, o.biasInit));
  }

  /** Channel groups; as many groups as input channels makes a depthwise convolution. */
  public S groups(long g) {
    Check.option(g >= 1, layer, "groups must be >= 1, got " + g);
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, o.padding, g, o.outputPadding, o.bias, o.weightInit, o.biasInit));
  }

  /** With or without the bias parameter. */
  public S bias(boolean on) {
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, o.padding, o.groups, o.outputPadding, on, o.weightInit, o.biasInit));
  }

  /** Without the bias parameter (e.g. before a batch norm, whose shift replaces it). */
  public S noBias() { return bias(false); }

  /** The weight's initializer. */
  public S weightInit(Initializer init) {
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, o.padding, o.groups, o.outputPadding, o.bias, init, o.biasInit));
  }

  /** The bias's initializer. */
  public S biasInit(Initializer init) {
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, o.padding, o.groups, o.outputPadding, o.bias, o.weightInit, init));
  }

  /** For the transposed layers' public wither. */
  S withOutputPadding(long... p) {
    return with(new Options(o.out, o.kernel, o.stride, o.dilation, o.padding, o.groups, Check.axes(layer, "outputPadding", 0, p),
        o.bias, o.weightInit, o.biasInit));
  }

  /**
   * A Conv or ConvTranspose layer: they differ only in the weight's layout ([O, C/g, *k] against [C, O/g, *k]),
   * ConvTranspose's output padding, and SAME padding, which a transposed convolution cannot take.
   */
  <T> Tensor<T> convolve(String name, Tensor<T> x, boolean transposed) {
    ModelBuilder m = x.builder();
    int spatial = spatial();
    String op = transposed ? "ConvTranspose" : "Conv";
    String label = transposed ? "convTranspose" : "conv";
    if (x.rank() != spatial + 2 || !x.dim(1).isStatic()) {
      throw Check.input(x, op, label + " '" + name + "' needs input [N, C, " + spatial + " spatial axes] with static C, got " + x.type());
    }
    if (transposed && o.padding == Padding.SAME) {
      throw Check.input(x, op, label + " '" + name + "': SAME padding is not supported; give explicit padding (cells cropped"
          + " from the output)");
    }
    long in = x.size(1);
    long out = o.out;
    long g = o.groups;
    if (in % g != 0 || out % g != 0) {
      throw Check.input(x, op, label + " '" + name + "': groups " + g + " must divide input channels " + in + " and output"
          + " channels " + out);
    }
    long[] k = Check.perAxis(x, op, "kernel", o.kernel, spatial);
    long[] s = Check.perAxis(x, op, "stride", o.stride, spatial);
    long[] d = Check.perAxis(x, op, "dilation", o.dilation, spatial);
    long[] pads = o.padding.pads(x.shape(), k, s, d);
    long receptive = 1;
    for (long ki : k) receptive = Math.multiplyExact(receptive, ki);
    long rows = transposed ? in : out;
    long cols = transposed ? out / g : in / g;
    // NOTE: PyTorch takes a weight's fans from its dims 1 and 0: fanIn = dim1 * prod(k), fanOut = dim0 * prod(k)
    // (so a ConvTranspose's default init scales with its output channels).
    long fanIn = cols * receptive;
    long fanOut = rows * receptive;
    long[] outputPadding = transposed ? Check.perAxis(x, op, "outputPadding", o.outputPadding, spatial) : null;
    return m.block(name, b -> {
      DataType<T> dt = x.dataType();
      long[] wShape = new long[spatial + 2];
      wShape[0] = rows;
      wShape[1] = cols;
      System.arraycopy(k, 0, wShape, 2, spatial);
      Tensor<T> w = m.parameter("weight", dt, Shape.of(wShape), o.weightInit, fanIn, fanOut);
      Value bias = o.bias ? m.parameter("bias", dt, Shape.of(out), o.biasInit, fanIn, fanOut).value() : null;
      GraphBuilder gb = m.graph();
      return m.tensor(transposed ? Ops.convTranspose(gb, x.value(), w.value(), bias, s, pads, d, g, outputPadding)
          : Ops.conv(gb, x.value(), w.value(), bias, s, pads, d, g));
    });
  }

  @Override public boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((ConvLayer<?>) other).o.equals(o);
  }

  @Override public int hashCode() { return o.hashCode() * 31 + getClass().hashCode(); }

  @Override public String toString() { return Check.show(layer, o); }
}
