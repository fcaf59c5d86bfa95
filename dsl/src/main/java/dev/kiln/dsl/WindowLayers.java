package dev.kiln.dsl;

import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.op.OpRegistry;
import java.util.Arrays;

/** Convolution and pooling layers behind {@link ModelBuilder} and {@link Tensor}: options to IR attributes. */
final class WindowLayers {
  private WindowLayers() {}

  /** Conv over {@code spatial} axes with parameters {@code name.weight} [O, C/g, *k] and {@code name.bias} [O]. */
  static <T> Tensor<T> conv(ModelBuilder m, String name, Tensor<T> x, Conv c, int spatial) {
    return convLayer(m, name, x, c, spatial, false);
  }

  /** ConvTranspose over {@code spatial} axes with {@code name.weight} [C, O/g, *k] and {@code name.bias} [O]. */
  static <T> Tensor<T> convTranspose(ModelBuilder m, String name, Tensor<T> x, Conv c, int spatial) {
    return convLayer(m, name, x, c, spatial, true);
  }

  /**
   * A Conv or ConvTranspose layer: they differ only in the weight's layout ([O, C/g, *k] against [C, O/g, *k]),
   * ConvTranspose's output padding, and SAME padding, which a transposed convolution cannot take.
   */
  private static <T> Tensor<T> convLayer(ModelBuilder m, String name, Tensor<T> x, Conv c, int spatial, boolean transposed) {
    String op = transposed ? "ConvTranspose" : "Conv";
    String label = transposed ? "convTranspose" : "conv";
    if (x.rank() != spatial + 2 || !x.dim(1).isStatic()) {
      throw m.graph().error(OpRegistry.get(op), label + " '" + name + "' needs input [N, C, " + spatial
          + " spatial axes] with static C, got " + x.type(), SourceLocation.capture());
    }
    if (transposed && c.padding() == Padding.SAME) {
      throw m.graph().error(OpRegistry.get(op), label + " '" + name + "': SAME padding is not supported;"
          + " give explicit padding (cells cropped from the output)", SourceLocation.capture());
    }
    long in = x.size(1);
    long out = c.outChannels();
    long g = c.groups();
    if (g < 1 || in % g != 0 || out % g != 0) {
      throw m.graph().error(OpRegistry.get(op), label + " '" + name + "': groups " + g + " must divide input channels "
          + in + " and output channels " + out, SourceLocation.capture());
    }
    long[] k = c.kernelFor(spatial);
    long[] s = c.strideFor(spatial);
    long[] d = c.dilationFor(spatial);
    long[] pads = c.padding().pads(x.shape(), k, s, d);
    long receptive = Arrays.stream(k).reduce(1, Math::multiplyExact);
    long rows = transposed ? in : out;
    long cols = transposed ? out / g : in / g;
    // NOTE: PyTorch takes a weight's fans from its dims 1 and 0: fanIn = dim1 * prod(k), fanOut = dim0 * prod(k)
    // (so a ConvTranspose's default init scales with its output channels).
    long fanIn = cols * receptive;
    long fanOut = rows * receptive;
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(x.dtype());
      long[] wShape = new long[spatial + 2];
      wShape[0] = rows;
      wShape[1] = cols;
      System.arraycopy(k, 0, wShape, 2, spatial);
      Tensor<T> w = m.parameter("weight", dt, Shape.of(wShape), c.weightInit(), fanIn, fanOut);
      Attrs a = Attrs.of("strides", s, "pads", pads, "dilations", d, "group", g);
      if (transposed) a = a.with("outputPadding", c.outputPaddingFor(spatial));
      if (!c.hasBias()) return m.apply(op, a, x, w);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(out), c.biasInit(), fanIn, fanOut);
      return m.apply(op, a, x, w, bias);
    });
  }

  /** MaxPool or AveragePool over {@code spatial} axes. */
  static <T> Tensor<T> pool(Tensor<T> x, String op, Pool p, int spatial) {
    ModelBuilder m = x.builder();
    if (x.rank() != spatial + 2) {
      throw m.graph().error(OpRegistry.get(op), "needs input [N, C, " + spatial + " spatial axes], got " + x.type(),
          SourceLocation.capture());
    }
    long[] k = p.kernelFor(spatial);
    long[] s = p.strideFor(spatial);
    long[] pads = p.padding().pads(x.shape(), k, s, ones(spatial));
    Attrs a = Attrs.of("kernel", k, "strides", s, "pads", pads, "ceil", p.ceil());
    if (op.equals("AveragePool")) a = a.with("countIncludePad", p.countIncludePad());
    return m.apply(op, a, x);
  }

  private static long[] ones(int n) {
    long[] v = new long[n];
    Arrays.fill(v, 1);
    return v;
  }

  /** Checks a requested dim against the one the type rule produced (reshape with symbols). */
  static void checkDim(ModelBuilder m, Tensor<?> y, int axis, Object wanted) {
    if (!y.dim(axis).equals(wanted)) {
      throw m.graph().error(OpRegistry.get("Reshape"), "axis " + axis + " was requested as " + wanted + " but the"
          + " reshape gives " + y.dim(axis) + " (output " + y.type() + ")", SourceLocation.capture());
    }
  }
}
