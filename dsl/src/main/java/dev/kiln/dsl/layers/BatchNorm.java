package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Grad;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batch norm over axis 1 of x [N, C, ...] (PyTorch's {@code BatchNorm1d/2d/3d}), built in training form: it normalises by
 * the batch statistics and records the running-statistic updates; {@code Model.evalGraph()} and ONNX export read the
 * running statistics instead (see {@code docs/architecture.md}, "Train and eval modes"). Parameters
 * {@code name.weight}, {@code name.bias}; state {@code name.running_mean}, {@code name.running_var}.
 * Example: {@code x.apply("bn1", BatchNorm.of().momentum(0.01))}.
 */
public final class BatchNorm implements Layer {
  /** PyTorch's default epsilon. */
  public static final double EPSILON = 1e-5;
  /** PyTorch's default momentum: running = (1 - m) running + m batch. */
  public static final double MOMENTUM = 0.1;

  /** The options: epsilon added to the variance; momentum of the running statistics (PyTorch's meaning). */
  public record Options(double epsilon, double momentum) {
    /** Checks the options. */
    public Options {
      Check.option(epsilon > 0, "BatchNorm", "epsilon must be > 0, got " + epsilon);
      Check.option(momentum >= 0 && momentum <= 1, "BatchNorm", "momentum must be in [0, 1], got " + momentum);
    }
  }

  private final Options o;

  private BatchNorm(Options o) { this.o = o; }

  /** Batch norm with PyTorch's defaults: epsilon 1e-5, momentum 0.1. */
  public static BatchNorm of() { return new BatchNorm(new Options(EPSILON, MOMENTUM)); }

  /** The options. */
  public Options options() { return o; }

  /** The epsilon added to the variance. */
  public BatchNorm epsilon(double e) { return new BatchNorm(new Options(e, o.momentum)); }

  /** The running statistics' momentum: running = (1 - m) running + m batch. */
  public BatchNorm momentum(double m) { return new BatchNorm(new Options(o.epsilon, m)); }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    ModelBuilder m = x.builder();
    GraphBuilder g = m.graph();
    long c = channels(x, "BatchNormTraining", "batchNorm '" + name + "'");
    double eps = o.epsilon;
    double momentum = o.momentum;
    return m.block(name, b -> {
      DataType<T> dt = x.dataType();
      Tensor<T> w = m.parameter("weight", dt, Shape.of(c), Initializers.ones(), c, c);
      Tensor<T> bias = m.parameter("bias", dt, Shape.of(c), Initializers.zeros(), c, c);
      Value runMean = state(g, "running_mean", x, c, 0);
      Value runVar = state(g, "running_var", x, c, 1);
      // NOTE: the batch variance normalises biased (divided by the count M), as PyTorch and ONNX do; the
      // running variance is updated with the unbiased one (M / (M - 1) times it), as PyTorch does.
      // One BatchNormTraining node (a fused kernel on TF; its decomposition in ONNX and elsewhere).
      List<Value> outs = Ops.batchNormTraining(g, x.value(), w.value(), bias.value(), eps, runMean.name(), runVar.name());
      Value y = outs.get(0);
      Tensor<T> mean = m.tensor(outs.get(1));
      Tensor<T> var = m.tensor(outs.get(2));
      // The values per channel: the product of x's dims but axis 1, read from its shape (the batch is dynamic).
      long[] others = Arrays.stream(otherAxes(x.rank())).asLongStream().toArray();
      Tensor<T> count = m.tensor(Grad.in(g).count(x.value(), others));
      Tensor<T> unbiased = var.mul(count).div(count.sub(1));
      TrainingForm.recordUpdate(g, runMean, m.<T>tensor(runMean).mul(1 - momentum).add(mean.mul(momentum)).value());
      TrainingForm.recordUpdate(g, runVar, m.<T>tensor(runVar).mul(1 - momentum).add(unbiased.mul(momentum)).value());
      return m.tensor(y);
    });
  }

  /** A non-trainable per-channel state parameter filled with {@code fill}. */
  private static Value state(GraphBuilder g, String name, Tensor<?> x, long c, double fill) {
    HostTensor v = Initializers.constant(fill).create(new TensorType(x.dtype(), Shape.of(c)), c, c, new SplittableRandom(0));
    return g.parameter(name, v, false, fill == 0 ? "zeros" : "ones");
  }

  /** Axis 0 and 2.. of a rank-{@code rank} tensor: the axes batch statistics reduce. */
  private static int[] otherAxes(int rank) {
    int[] a = new int[rank - 1];
    for (int i = 2; i < rank; i++) a[i - 1] = i;
    return a;
  }

  /** The static channel count (axis 1) of x [N, C, ...], which the norm layers need. */
  static long channels(Tensor<?> x, String op, String what) {
    if (x.rank() < 2 || !x.dim(1).isStatic()) throw Check.input(x, op, what + " needs x (N, C, ...) with static C, got " + x.type());
    return x.size(1);
  }

  @Override public boolean equals(Object other) { return other instanceof BatchNorm a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("BatchNorm", o); }
}
