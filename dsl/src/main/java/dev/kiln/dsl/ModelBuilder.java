package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The scope a model is written in: inputs, parameters, layers and name blocks. Parameter names come
 * from blocks ({@code res1.conv1.weight}) so they read like PyTorch's. Each parameter's initial
 * value comes from the model seed and the parameter's name, so adding a layer does not change the
 * others.
 */
public final class ModelBuilder {
  private final GraphBuilder g;
  private final long seed;

  ModelBuilder(String name, long seed) {
    this.g = new GraphBuilder(name);
    this.seed = seed;
    g.metadata("kiln.seed", Long.toString(seed));
  }

  /** The underlying IR builder, for ops the typed API does not cover. */
  public GraphBuilder graph() { return g; }

  public long seed() { return seed; }

  <T> Tensor<T> wrap(Value v) { return new Tensor<>(this, v); }

  /**
   * A typed handle on a value already in this builder's graph, e.g. one made through {@link #graph()}
   * or copied from an imported model (see {@code dev.kiln.interop.transfer.Transfer}).
   */
  public <T> Tensor<T> tensor(Value v) { return wrap(v); }

  /**
   * A model input. Dims are {@link dev.kiln.spec.Dim}s, numbers, or symbol names:
   * {@code input("x", F32, batch, 784)} or {@code input("x", F32, "batch", 784)}.
   */
  public <T> Tensor<T> input(String name, DataType<T> dtype, Object... dims) {
    return wrap(g.input(name, new TensorType(dtype.dtype(), Shape.parse(dims))));
  }

  /** Runs {@code body} in a named block; names made inside are prefixed {@code name.}. */
  public <R> R block(String name, Function<ModelBuilder, R> body) { return g.scoped(name, () -> body.apply(this)); }

  /**
   * A trainable parameter {@code block.name} initialised by {@code init}, with the fans PyTorch would
   * use for it.
   */
  public <T> Tensor<T> parameter(String name, DataType<T> dtype, Shape shape, Initializer init, long fanIn, long fanOut) {
    TensorType type = new TensorType(dtype.dtype(), shape);
    String full = g.scoped(name);
    // NOTE: String.hashCode is specified by the JLS, so this stream is the same on every JVM.
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + full.hashCode());
    HostTensor v = init.create(type, fanIn, fanOut, rng);
    return wrap(g.parameter(name, v, true, init.describe()));
  }

  /** A constant tensor. */
  public <T> Tensor<T> constant(HostTensor value) { return wrap(g.apply1("Constant", Attrs.of("value", value))); }

  /** Applies any registry op by name to typed tensors (escape hatch for ops without a typed method). */
  public <T> Tensor<T> apply(String op, Attrs attrs, Tensor<?>... inputs) {
    Value[] in = new Value[inputs.length];
    for (int i = 0; i < inputs.length; i++) in[i] = inputs[i].value();
    return wrap(g.apply1(op, attrs, in));
  }

  /** Marks {@code t} as a model output called {@code name}. */
  public <T> Tensor<T> output(String name, Tensor<T> t) { return wrap(g.output(name, t.value())); }

  // ---- layers -------------------------------------------------------------------------------

  /** Dense layer with Glorot-uniform weight [in, out] and zero bias. */
  public <T> Tensor<T> linear(String name, Tensor<T> x, long out) {
    return linear(name, x, out, true, Initializers.glorotUniform(), Initializers.zeros());
  }

  /** Dense layer: {@code x @ weight (+ bias)} over the last axis of {@code x}. */
  public <T> Tensor<T> linear(String name, Tensor<T> x, long out, boolean bias, Initializer weightInit, Initializer biasInit) {
    return block(name, b -> {
      if (x.rank() < 1 || !x.dim(-1).isStatic()) {
        throw g.error(dev.kiln.spec.op.OpRegistry.get("MatMul"),
            "linear '" + name + "' needs a static last axis on its input, got " + x.type(), dev.kiln.spec.ir.SourceLocation.capture());
      }
      long in = x.size(-1);
      DataType<T> dt = new DataType<>(x.dtype());
      Tensor<T> w = parameter("weight", dt, Shape.of(in, out), weightInit, in, out);
      Tensor<T> y = x.matmul(w);
      if (bias) y = y.add(parameter("bias", dt, Shape.of(out), biasInit, in, out));
      return y;
    });
  }

  /** 2-D convolution layer: x [N, C, H, W] to [N, O, H', W'] with {@code name.weight} [O, C/g, kh, kw], {@code name.bias} [O]. */
  public <T> Tensor<T> conv2d(String name, Tensor<T> x, Conv options) { return WindowLayers.conv(this, name, x, options, 2); }

  /** 1-D convolution layer: x [N, C, L] to [N, O, L'] with {@code name.weight} [O, C/g, k]. */
  public <T> Tensor<T> conv1d(String name, Tensor<T> x, Conv options) { return WindowLayers.conv(this, name, x, options, 1); }

  /** 3-D convolution layer: x [N, C, D, H, W] with {@code name.weight} [O, C/g, kd, kh, kw]. */
  public <T> Tensor<T> conv3d(String name, Tensor<T> x, Conv options) { return WindowLayers.conv(this, name, x, options, 3); }

  // ---- shape --------------------------------------------------------------------------------

  /** Joins tensors along {@code axis} (all other dims must agree). */
  @SafeVarargs
  public static <T> Tensor<T> concat(int axis, Tensor<T>... ts) {
    if (ts.length == 0) throw new dev.kiln.spec.KilnException("concat needs at least one tensor");
    ModelBuilder m = ts[0].builder();
    Value[] in = new Value[ts.length];
    for (int i = 0; i < ts.length; i++) in[i] = ts[i].value();
    return m.wrap(m.g.apply1("Concat", Attrs.of("axis", axis), in));
  }

  /** {@code a} where {@code cond} else {@code b}, elementwise, all three broadcasting. */
  public static <T> Tensor<T> where(Tensor<dev.kiln.dsl.types.Bool> cond, Tensor<T> a, Tensor<T> b) {
    ModelBuilder m = cond.builder();
    return m.wrap(m.g.apply1("Where", Attrs.EMPTY, cond.value(), a.value(), b.value()));
  }
}
