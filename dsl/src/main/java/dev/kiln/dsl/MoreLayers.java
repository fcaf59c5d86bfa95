package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Layers built from other ops: separable convolutions, PReLU, maxout, adaptive pooling. */
final class MoreLayers {
  private MoreLayers() {}

  /** Depthwise conv {@code name.depthwise} (groups = C) then a 1x1 conv {@code name.pointwise}. */
  static <T> Tensor<T> separableConv2d(ModelBuilder m, String name, Tensor<T> x, Conv c) {
    if (c.groups() != 1) {
      throw m.graph().error(OpRegistry.get("Conv"), "separableConv2d '" + name + "': groups must be 1 (the depthwise"
          + " step uses one group per channel), got " + c.groups(), SourceLocation.capture());
    }
    if (x.rank() != 4 || !x.dim(1).isStatic()) {
      throw m.graph().error(OpRegistry.get("Conv"), "separableConv2d '" + name + "' needs input [N, C, H, W] with static C,"
          + " got " + x.type(), SourceLocation.capture());
    }
    long in = x.size(1);
    return m.block(name, b -> {
      Conv depthwise = Conv.out(in).kernel(c.kernelFor(2)).stride(c.strideFor(2)).dilation(c.dilationFor(2))
          .padding(c.padding()).groups(in).bias(false).weightInit(c.weightInit());
      Tensor<T> y = WindowLayers.conv(m, "depthwise", x, depthwise, 2);
      Conv pointwise = Conv.out(c.outChannels()).kernel(1).bias(c.hasBias()).weightInit(c.weightInit()).biasInit(c.biasInit());
      return WindowLayers.conv(m, "pointwise", y, pointwise, 2);
    });
  }

  /** PReLU with {@code name.weight} [C, 1, ...] (rank - 1 axes) filled with {@code init}. */
  static <T> Tensor<T> prelu(ModelBuilder m, String name, Tensor<T> x, double init) {
    int channelAxis = x.rank() >= 2 ? 1 : 0;
    if (x.rank() < 1 || !x.dim(channelAxis).isStatic()) {
      throw m.graph().error(OpRegistry.get("PRelu"), "prelu '" + name + "' needs a static channel axis " + channelAxis
          + ", got " + x.type(), SourceLocation.capture());
    }
    long[] shape = new long[x.rank() - channelAxis];
    Arrays.fill(shape, 1);
    shape[0] = x.size(channelAxis);
    return m.block(name, b -> {
      Tensor<T> slope = m.parameter("weight", new DataType<>(x.dtype()), Shape.of(shape), Initializers.constant(init), shape[0], shape[0]);
      return x.prelu(slope);
    });
  }

  /** [N, C, rest...] to [N, C / k, k, rest...], then the max over the k axis. */
  static <T> Tensor<T> maxout(Tensor<T> x, int pieces) {
    if (x.rank() < 2 || !x.dim(1).isStatic() || pieces < 1 || x.size(1) % pieces != 0) {
      throw x.builder().graph().error(OpRegistry.get("ReduceMax"), "maxout with " + pieces + " pieces needs input [N, C, ...]"
          + " with a static C divisible by it, got " + x.type(), SourceLocation.capture());
    }
    Object[] dims = new Object[x.rank() + 1];
    dims[0] = 0; // copies N, static or not
    dims[1] = x.size(1) / pieces;
    dims[2] = pieces;
    // The dims after the channel axis move one position right, so they are given as sizes (0 would copy the wrong one).
    for (int i = 2; i < x.rank(); i++) {
      if (!x.dim(i).isStatic()) {
        throw x.builder().graph().error(OpRegistry.get("ReduceMax"), "maxout needs static dims after the channel axis, got "
            + x.type(), SourceLocation.capture());
      }
      dims[i + 1] = x.size(i);
    }
    return x.reshape(dims).max(false, 2);
  }

  /** Per spatial axis: one AveragePool when the size divides, else slices averaged and concatenated. */
  static <T> Tensor<T> adaptiveAvgPool2d(Tensor<T> x, int outH, int outW) {
    if (x.rank() != 4 || !x.dim(2).isStatic() || !x.dim(3).isStatic() || outH < 1 || outW < 1) {
      throw x.builder().graph().error(OpRegistry.get("AveragePool"), "adaptiveAvgPool2d(" + outH + ", " + outW
          + ") needs input [N, C, H, W] with static H and W, and outputs >= 1, got " + x.type(), SourceLocation.capture());
    }
    return adaptiveAxis(adaptiveAxis(x, 2, outH), 3, outW);
  }

  /**
   * NOTE: a mean over a box equals the mean over its rows of the row means (every row has the same length),
   * so pooling one axis after the other is exact.
   */
  private static <T> Tensor<T> adaptiveAxis(Tensor<T> x, int axis, int out) {
    long n = x.size(axis);
    if (n == out) return x;
    if (n % out == 0) {
      long[] k = {1, 1};
      k[axis - 2] = n / out;
      return x.avgPool2d(Pool.kernel(k));
    }
    List<Tensor<T>> cells = new ArrayList<>();
    for (long i = 0; i < out; i++) {
      long start = Math.floorDiv(i * n, out);
      long end = Math.floorDiv((i + 1) * n + out - 1, out);
      cells.add(x.slice(axis, start, end).mean(true, axis));
    }
    @SuppressWarnings("unchecked")
    Tensor<T>[] rest = cells.subList(1, cells.size()).toArray(new Tensor[0]);
    return rest.length == 0 ? cells.get(0) : cells.get(0).concat(axis, rest);
  }
}
