package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Normalisation and dropout layers, built in training form (see {@code docs/architecture.md}, "Train and
 * eval modes"); {@link Model#evalGraph()} and ONNX export give the inference form. Parameter names follow
 * PyTorch ({@code weight}, {@code bias}, {@code running_mean}, {@code running_var}) so its weights bind.
 */
final class NormLayers {
  private NormLayers() {}

  /** PyTorch's default epsilon for every normalisation here. */
  static final double EPSILON = 1e-5;
  /** PyTorch's default momentum: running = (1 - m) running + m batch. */
  static final double MOMENTUM = 0.1;

  static <T> Tensor<T> batchNorm(ModelBuilder m, String name, Tensor<T> x, double eps, double momentum) {
    GraphBuilder g = m.graph();
    long c = channels(m, "batchNorm '" + name + "'", x);
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(x.dtype());
      Tensor<T> w = m.parameter("weight", dt, Shape.of(c), Initializers.ones(), c, c);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(c), Initializers.zeros(), c, c);
      Value runMean = state(g, "running_mean", x, c, 0);
      Value runVar = state(g, "running_var", x, c, 1);
      int[] axes = otherAxes(x.rank());
      // NOTE: the batch variance normalises biased (divided by the count M), as PyTorch and ONNX do; the
      // running variance is updated with the unbiased one (M / (M - 1) times it), as PyTorch does.
      // One BatchNormTraining node (a fused kernel on TF; its decomposition in ONNX and elsewhere).
      List<Value> outs = g.apply("BatchNormTraining", List.of(x.value(), w.value(), bias.value()),
          Attrs.of("epsilon", eps, "running_mean", runMean.name(), "running_var", runVar.name()));
      Value y = outs.get(0);
      Tensor<T> mean = m.wrap(outs.get(1));
      Tensor<T> var = m.wrap(outs.get(2));
      // The values per channel: the product of x's dims but axis 1, read from its shape (the batch is dynamic).
      long[] others = java.util.Arrays.stream(axes).asLongStream().toArray();
      Tensor<T> count = m.<T>wrap(dev.kiln.spec.op.Grad.in(g).count(x.value(), others));
      Tensor<T> unbiased = var.mul(count).div(count.sub(1));
      TrainingForm.recordUpdate(g, runMean, m.<T>wrap(runMean).mul(1 - momentum).add(mean.mul(momentum)).value());
      TrainingForm.recordUpdate(g, runVar, m.<T>wrap(runVar).mul(1 - momentum).add(unbiased.mul(momentum)).value());
      return m.wrap(y);
    });
  }

  /** A non-trainable per-channel state parameter filled with {@code fill}. */
  private static Value state(GraphBuilder g, String name, Tensor<?> x, long c, double fill) {
    HostTensor v = Initializers.constant(fill).create(new TensorType(x.dtype(), Shape.of(c)), c, c, new SplittableRandom(0));
    return g.parameter(name, v, false, fill == 0 ? "zeros" : "ones");
  }

  /** Layer norm over trailing {@code axes} (default the last), weight and bias shaped like those axes. */
  static <T> Tensor<T> layerNorm(ModelBuilder m, String name, Tensor<T> x, int[] axes) {
    int r = x.rank();
    int[] norm = axes.length == 0 ? new int[] {r - 1} : axes.clone();
    for (int i = 0; i < norm.length; i++) norm[i] = norm[i] < 0 ? norm[i] + r : norm[i];
    java.util.Arrays.sort(norm);
    for (int i = 0; i < norm.length; i++) {
      if (norm[i] != r - norm.length + i) {
        throw new ShapeException("layerNorm '" + name + "' normalises trailing axes (as PyTorch and ONNX), got "
            + java.util.Arrays.toString(axes) + " for " + x.type());
      }
    }
    long[] shape = new long[norm.length];
    for (int i = 0; i < norm.length; i++) {
      if (!x.dim(norm[i]).isStatic()) throw new ShapeException("layerNorm '" + name + "' needs static normalised axes, got " + x.type());
      shape[i] = x.size(norm[i]);
    }
    GraphBuilder g = m.graph();
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(x.dtype());
      long n = 1;
      for (long s : shape) n *= s;
      Tensor<T> w = m.parameter("weight", dt, Shape.of(shape), Initializers.ones(), n, n);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(shape), Initializers.zeros(), n, n);
      // The native op (ONNX LayerNormalization-17, its decomposition for older opsets and on TF).
      Value y = g.apply1("LayerNormalization", Attrs.of("axis", (long) norm[0], "epsilon", EPSILON), x.value(), w.value(), bias.value());
      return m.wrap(y);
    });
  }

  /** (x - mean) / sqrt(var + eps) over {@code axes}, the biased variance. */
  private static <T> Tensor<T> normalise(Tensor<T> x, int[] axes) {
    Tensor<T> d = x.sub(x.mean(true, axes));
    Tensor<T> var = d.mul(d).mean(true, axes);
    return d.div(var.add(EPSILON).sqrt());
  }

  /** Group norm: channels (axis 1) split into {@code groups}, each normalised per sample; per-channel weight and bias. */
  static <T> Tensor<T> groupNorm(ModelBuilder m, String name, Tensor<T> x, long groups) {
    long c = channels(m, "groupNorm '" + name + "'", x);
    if (groups <= 0 || c % groups != 0) {
      throw new ShapeException("groupNorm '" + name + "': " + groups + " groups must divide the " + c + " channels of " + x.type());
    }
    long[] back = new long[x.rank()];
    for (int i = 1; i < x.rank(); i++) {
      if (!x.dim(i).isStatic()) throw new ShapeException("groupNorm '" + name + "' needs static non-batch dims, got " + x.type());
      back[i] = x.size(i);
    }
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(x.dtype());
      Tensor<T> w = m.parameter("weight", dt, Shape.of(c), Initializers.ones(), c, c);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(c), Initializers.zeros(), c, c);
      Tensor<T> grouped = x.op("Reshape", Attrs.of("shape", new long[] {0, groups, -1}));
      Tensor<T> y = normalise(grouped, new int[] {2}).op("Reshape", Attrs.of("shape", back));
      return y.mul(perChannel(w, x.rank())).add(perChannel(bias, x.rank()));
    });
  }

  /** (C) → (C, 1, ..., 1), broadcasting along axis 1. */
  private static <T> Tensor<T> perChannel(Tensor<T> v, int rank) {
    if (rank == 2) return v;
    int[] axes = new int[rank - 2];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
    return v.unsqueeze(axes);
  }

  /** Dropout in training form, keyed by the model seed, the layer's position and {@code train.step}. */
  static <T> Tensor<T> dropout(Tensor<T> x, double rate, boolean spatial) {
    ModelBuilder m = x.builder();
    GraphBuilder g = m.graph();
    long index = g.nodes().stream().filter(n -> n.opName().equals("Dropout")).count();
    // NOTE: each dropout layer gets its own key, so two layers never share masks; fixed by seed and position.
    long seed = (m.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L) >>> 1;
    Value step = TrainingForm.step(g);
    return m.wrap(g.apply1("Dropout", Attrs.of("rate", rate, "seed", seed, "spatial", spatial, "training", true), x.value(), step));
  }

  private static long channels(ModelBuilder m, String what, Tensor<?> x) {
    if (x.rank() < 2 || !x.dim(1).isStatic()) throw new ShapeException(what + " needs x (N, C, ...) with static C, got " + x.type());
    return x.size(1);
  }

  static int[] otherAxes(int rank) {
    int[] a = new int[rank - 1];
    for (int i = 2; i < rank; i++) a[i - 1] = i;
    return a;
  }
}
