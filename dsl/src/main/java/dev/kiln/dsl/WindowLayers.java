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
    if (x.rank() != spatial + 2 || !x.dim(1).isStatic()) {
      throw m.graph().error(OpRegistry.get("Conv"), "conv '" + name + "' needs input [N, C, " + spatial
          + " spatial axes] with static C, got " + x.type(), SourceLocation.capture());
    }
    long in = x.size(1);
    long out = c.outChannels();
    long g = c.groups();
    if (g < 1 || in % g != 0 || out % g != 0) {
      throw m.graph().error(OpRegistry.get("Conv"), "conv '" + name + "': groups " + g + " must divide input channels "
          + in + " and output channels " + out, SourceLocation.capture());
    }
    long[] k = c.kernelFor(spatial);
    long[] s = c.strideFor(spatial);
    long[] d = c.dilationFor(spatial);
    long[] pads = c.padding().pads(x.shape(), k, s, d);
    long receptive = Arrays.stream(k).reduce(1, Math::multiplyExact);
    // Fans as PyTorch computes them for a conv weight [O, C/g, *k]: fanIn = C/g * prod(k), fanOut = O * prod(k).
    long fanIn = in / g * receptive;
    long fanOut = out * receptive;
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(x.dtype());
      long[] wShape = new long[spatial + 2];
      wShape[0] = out;
      wShape[1] = in / g;
      System.arraycopy(k, 0, wShape, 2, spatial);
      Tensor<T> w = m.parameter("weight", dt, Shape.of(wShape), c.weightInit(), fanIn, fanOut);
      Attrs a = Attrs.of("strides", s, "pads", pads, "dilations", d, "group", g);
      if (!c.hasBias()) return m.apply("Conv", a, x, w);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(out), c.biasInit(), fanIn, fanOut);
      return m.apply("Conv", a, x, w, bias);
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
