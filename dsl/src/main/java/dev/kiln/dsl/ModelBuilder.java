package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializer;
import dev.kiln.dsl.layers.Conv1d;
import dev.kiln.dsl.layers.Conv2d;
import dev.kiln.dsl.layers.Conv3d;
import dev.kiln.dsl.layers.ConvTranspose1d;
import dev.kiln.dsl.layers.ConvTranspose2d;
import dev.kiln.dsl.layers.Embedding;
import dev.kiln.dsl.layers.Gru;
import dev.kiln.dsl.layers.Layer;
import dev.kiln.dsl.layers.LearnedPositions;
import dev.kiln.dsl.layers.Linear;
import dev.kiln.dsl.layers.Lstm;
import dev.kiln.dsl.layers.MultiHeadAttention;
import dev.kiln.dsl.layers.PRelu;
import dev.kiln.dsl.layers.RecurrentLayer;
import dev.kiln.dsl.layers.Rnn;
import dev.kiln.dsl.layers.ScaledDotProductAttention;
import dev.kiln.dsl.layers.SeparableConv2d;
import dev.kiln.dsl.layers.SinusoidalPositions;
import dev.kiln.dsl.layers.Transform;
import dev.kiln.dsl.layers.TransformerEncoder;
import dev.kiln.dsl.layers.TransformerEncoderLayer;
import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

  /** The model's seed, from which every parameter's initial value is drawn. */
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
  public <T> Tensor<T> constant(HostTensor value) { return wrap(Ops.constant(g, value)); }

  /**
   * Applies a registry op by a name known only at run time to typed tensors (escape hatch; code that knows the op
   * writes {@code m.tensor(Ops.relu(m.graph(), x.value()))} with the facade {@code dev.kiln.spec.ops.Ops}).
   */
  public <T> Tensor<T> apply(String op, Attrs attrs, Tensor<?>... inputs) {
    Value[] in = new Value[inputs.length];
    for (int i = 0; i < inputs.length; i++) in[i] = inputs[i].value();
    return wrap(g.apply(OpRegistry.get(op), List.of(in), attrs).get(0));
  }

  /** Marks {@code t} as a model output called {@code name}. */
  public <T> Tensor<T> output(String name, Tensor<T> t) { return wrap(g.output(name, t.value())); }

  // ---- layers -------------------------------------------------------------------------------

  /**
   * Applies {@code layer} to {@code x}; its parameters are {@code name.*} in the current block. The one entry for
   * the layer classes of {@code dev.kiln.dsl.layers}: {@code m.apply("c1", Conv2d.of(32, 3), x)}
   * ({@code x.apply("c1", ...)} is the same call, for chaining).
   */
  public <T> Tensor<T> apply(String name, Layer layer, Tensor<T> x) { return layer.apply(name, owned(x)); }

  /** Applies a layer without parameters to {@code x}: {@code m.apply(MaxPool2d.of(2), x)}. */
  public <T> Tensor<T> apply(Transform transform, Tensor<T> x) { return transform.apply(owned(x)); }

  /** Looks {@code ids} up in the embedding table {@code name.weight}: {@code m.apply("tok", Embedding.of(30000, 256), ids)}. */
  public <U> Tensor<U> apply(String name, Embedding<U> embedding, Tensor<?> ids) { return embedding.apply(name, owned(ids)); }

  /** {@code x}, checked to belong to this model (a tensor of another model cannot feed a layer here). */
  private <X extends Tensor<?>> X owned(X x) {
    if (x.builder() != this) {
      throw new KilnException("tensor " + x.name() + " belongs to model " + x.builder().g.name() + ", not " + g.name());
    }
    return x;
  }

  // ---- shorthands for apply(...) with a layer class, kept for the code written before them ----

  /** {@code apply(name, Linear.of(out), x)}: Glorot-uniform weight [in, out], zero bias. */
  public <T> Tensor<T> linear(String name, Tensor<T> x, long out) { return apply(name, Linear.of(out), x); }

  /** A dense layer with the given bias and initializers; see {@link Linear}. */
  public <T> Tensor<T> linear(String name, Tensor<T> x, long out, boolean bias, Initializer weightInit, Initializer biasInit) {
    return apply(name, Linear.of(out).bias(bias).weightInit(weightInit).biasInit(biasInit), x);
  }

  /** A 2-D convolution layer; see {@link Conv2d}. */
  public <T> Tensor<T> conv2d(String name, Tensor<T> x, Conv options) { return apply(name, options.as(Conv2d::of), x); }

  /** A 1-D convolution layer; see {@link Conv1d}. */
  public <T> Tensor<T> conv1d(String name, Tensor<T> x, Conv options) { return apply(name, options.as(Conv1d::of), x); }

  /** A 3-D convolution layer; see {@link Conv3d}. */
  public <T> Tensor<T> conv3d(String name, Tensor<T> x, Conv options) { return apply(name, options.as(Conv3d::of), x); }

  /** A 2-D transposed convolution layer (weight [C, O/g, kh, kw]; SAME padding refused); see {@link ConvTranspose2d}. */
  public <T> Tensor<T> convTranspose2d(String name, Tensor<T> x, Conv options) {
    return apply(name, options.as(ConvTranspose2d::of).outputPadding(options.outputPaddingFor()), x);
  }

  /** A 1-D transposed convolution layer; see {@link ConvTranspose1d}. */
  public <T> Tensor<T> convTranspose1d(String name, Tensor<T> x, Conv options) {
    return apply(name, options.as(ConvTranspose1d::of).outputPadding(options.outputPaddingFor()), x);
  }

  /** Depthwise {@code name.depthwise} then pointwise {@code name.pointwise} convolution; see {@link SeparableConv2d}. */
  public <T> Tensor<T> separableConv2d(String name, Tensor<T> x, Conv options) {
    return apply(name, options.as(SeparableConv2d::of), x);
  }

  /** An embedding table {@code name.weight} [vocab, dim] of {@code dtype}, N(0, 1); see {@link Embedding}. */
  public <T> Tensor<T> embedding(String name, Tensor<?> ids, long vocab, long dim, DataType<T> dtype) {
    return apply(name, Embedding.of(vocab, dim).dtype(dtype), ids);
  }

  /** {@code apply(name, Embedding.of(vocab, dim), ids)}: an f32 table. */
  public Tensor<F32> embedding(String name, Tensor<?> ids, long vocab, long dim) { return apply(name, Embedding.of(vocab, dim), ids); }

  /** A PReLU layer with slopes starting at {@code init}; see {@link PRelu}. */
  public <T> Tensor<T> prelu(String name, Tensor<T> x, double init) { return apply(name, PRelu.of().init(init), x); }

  /** {@code apply(name, PRelu.of(), x)}: slopes start at 0.25, as PyTorch's. */
  public <T> Tensor<T> prelu(String name, Tensor<T> x) { return apply(name, PRelu.of(), x); }

  /**
   * A stacked LSTM; see {@link Lstm}.
   *
   * @deprecated three adjacent booleans; write {@code m.apply(name, Lstm.of(hidden).layers(n).bidirectional()..., x)}.
   */
  @Deprecated
  public <T> Tensor<T> lstm(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                            boolean returnSequences) {
    return apply(name, recurrent(Lstm.of(hidden), layers, batchFirst, bidirectional, returnSequences), x);
  }

  /**
   * A stacked LSTM from initial states {@code h0}, {@code c0} ({@code [layers*dirs, batch, hidden]}; null for zeros).
   *
   * @deprecated three adjacent booleans; write {@code Lstm.of(hidden)...apply(name, x, h0, c0)}.
   */
  @Deprecated
  public <T> Tensor<T> lstm(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                            boolean returnSequences, @Nullable Tensor<T> h0, @Nullable Tensor<T> c0) {
    return recurrent(Lstm.of(hidden), layers, batchFirst, bidirectional, returnSequences).apply(name, owned(x), h0, c0);
  }

  /**
   * A stacked GRU; see {@link Gru}.
   *
   * @deprecated three adjacent booleans; write {@code m.apply(name, Gru.of(hidden)..., x)}.
   */
  @Deprecated
  public <T> Tensor<T> gru(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences) {
    return apply(name, recurrent(Gru.of(hidden), layers, batchFirst, bidirectional, returnSequences), x);
  }

  /**
   * A stacked GRU from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null for zeros).
   *
   * @deprecated three adjacent booleans; write {@code Gru.of(hidden)...apply(name, x, h0)}.
   */
  @Deprecated
  public <T> Tensor<T> gru(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences, @Nullable Tensor<T> h0) {
    return recurrent(Gru.of(hidden), layers, batchFirst, bidirectional, returnSequences).apply(name, owned(x), h0);
  }

  /**
   * A stacked tanh RNN; see {@link Rnn}.
   *
   * @deprecated three adjacent booleans; write {@code m.apply(name, Rnn.of(hidden)..., x)}.
   */
  @Deprecated
  public <T> Tensor<T> rnn(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences) {
    return apply(name, recurrent(Rnn.of(hidden), layers, batchFirst, bidirectional, returnSequences), x);
  }

  /**
   * A stacked tanh RNN from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null for zeros).
   *
   * @deprecated three adjacent booleans; write {@code Rnn.of(hidden)...apply(name, x, h0)}.
   */
  @Deprecated
  public <T> Tensor<T> rnn(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences, @Nullable Tensor<T> h0) {
    return recurrent(Rnn.of(hidden), layers, batchFirst, bidirectional, returnSequences).apply(name, owned(x), h0);
  }

  /** The recurrent layer the deprecated positional forms describe. */
  private static <S extends RecurrentLayer<S>> S recurrent(S layer, int layers, boolean batchFirst, boolean bidirectional,
                                                            boolean returnSequences) {
    return layer.layers(layers)
        .layout(batchFirst ? RecurrentLayer.Layout.BATCH_FIRST : RecurrentLayer.Layout.SEQUENCE_FIRST)
        .direction(bidirectional ? RecurrentLayer.Direction.BIDIRECTIONAL : RecurrentLayer.Direction.FORWARD)
        .output(returnSequences ? RecurrentLayer.Output.SEQUENCE : RecurrentLayer.Output.FINAL_STATE);
  }

  /** Scaled dot-product attention (mask nullable: bool, true where a query may not attend, or additive); see {@link ScaledDotProductAttention}. */
  public static <T> Tensor<T> scaledDotProductAttention(Tensor<T> q, Tensor<T> k, Tensor<T> v, @Nullable Tensor<?> mask, boolean causal) {
    return ScaledDotProductAttention.of().causal(causal).apply(q, k, v, mask);
  }

  /**
   * Multi-head attention (PyTorch's nn.MultiheadAttention, batch-first); {@code keyPaddingMask} nullable.
   *
   * @deprecated positional mask, flag and rate; write {@code MultiHeadAttention.of(heads).causal().dropout(p).apply(name, q, k, v, mask)}.
   */
  @Deprecated
  public <T> Tensor<T> multiHeadAttention(String name, Tensor<T> query, Tensor<T> key, Tensor<T> value, long heads,
                                         @Nullable Tensor<Bool> keyPaddingMask, boolean causal, double dropout) {
    return MultiHeadAttention.of(heads).causal(causal).dropout(dropout).apply(name, owned(query), key, value, keyPaddingMask);
  }

  /**
   * Self-attention: multi-head attention with query = key = value = x, no dropout.
   *
   * @deprecated positional mask and flag; write {@code m.apply(name, MultiHeadAttention.of(heads).causal(), x)}.
   */
  @Deprecated
  public <T> Tensor<T> selfAttention(String name, Tensor<T> x, long heads, @Nullable Tensor<Bool> keyPaddingMask, boolean causal) {
    return MultiHeadAttention.of(heads).causal(causal).apply(name, owned(x), x, x, keyPaddingMask);
  }

  /** {@code apply(SinusoidalPositions.of(), x)}: x [N, L, E] plus the constant sinusoidal encoding. */
  public <T> Tensor<T> sinusoidalPositions(Tensor<T> x) { return apply(SinusoidalPositions.of(), x); }

  /** {@code apply(name, LearnedPositions.of(maxLen), x)}: x [N, L, E] plus a learned {@code name.weight [maxLen, E]}. */
  public <T> Tensor<T> learnedPositions(String name, Tensor<T> x, long maxLen) { return apply(name, LearnedPositions.of(maxLen), x); }

  /** A transformer encoder layer (keyPaddingMask nullable); see {@link TransformerEncoderLayer}. */
  public <T> Tensor<T> transformerEncoderLayer(String name, Tensor<T> x, Transformer options, @Nullable Tensor<Bool> keyPaddingMask) {
    return options.toLayer().apply(name, owned(x), keyPaddingMask);
  }

  /** A stack of {@code layers} encoder layers {@code name.layers.<i>} (keyPaddingMask nullable); see {@link TransformerEncoder}. */
  public <T> Tensor<T> transformerEncoder(String name, Tensor<T> x, int layers, Transformer options, @Nullable Tensor<Bool> keyPaddingMask) {
    return TransformerEncoder.of(layers, options.toLayer()).apply(name, owned(x), keyPaddingMask);
  }

  // ---- shape --------------------------------------------------------------------------------

  /** Joins tensors along {@code axis} (all other dims must agree). */
  @SafeVarargs
  public static <T> Tensor<T> concat(int axis, Tensor<T>... ts) {
    if (ts.length == 0) throw new KilnException("concat needs at least one tensor");
    ModelBuilder m = ts[0].builder();
    Value[] in = new Value[ts.length];
    for (int i = 0; i < ts.length; i++) in[i] = ts[i].value();
    return m.wrap(Ops.concat(m.g, List.of(in), axis));
  }

  /** {@code a} where {@code cond} else {@code b}, elementwise, all three broadcasting. */
  public static <T> Tensor<T> where(Tensor<Bool> cond, Tensor<T> a, Tensor<T> b) {
    ModelBuilder m = cond.builder();
    return m.wrap(Ops.where(m.g, cond.value(), a.value(), b.value()));
  }
}
