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

  /**
   * 2-D transposed convolution layer: x [N, C, H, W] to [N, O, H', W'] with {@code name.weight} [C, O/g, kh, kw]
   * (PyTorch's layout) and {@code name.bias} [O]; H' = (H - 1) * stride - padBegin - padEnd + dilation * (k - 1)
   * + outputPadding + 1. Padding is VALID or explicit (cells cropped from the output); SAME is refused.
   */
  public <T> Tensor<T> convTranspose2d(String name, Tensor<T> x, Conv options) {
    return WindowLayers.convTranspose(this, name, x, options, 2);
  }

  /** 1-D transposed convolution layer: x [N, C, L] with {@code name.weight} [C, O/g, k]; see {@link #convTranspose2d}. */
  public <T> Tensor<T> convTranspose1d(String name, Tensor<T> x, Conv options) {
    return WindowLayers.convTranspose(this, name, x, options, 1);
  }

  /**
   * Separable 2-D convolution: a depthwise convolution {@code name.depthwise} (one filter per input channel,
   * weight [C, 1, kh, kw], no bias) with the options' kernel, stride, padding and dilation, then a pointwise
   * 1x1 convolution {@code name.pointwise} to the options' output channels (weight [O, C, 1, 1], bias as the
   * options say). The options' groups must be 1.
   */
  public <T> Tensor<T> separableConv2d(String name, Tensor<T> x, Conv options) {
    return MoreLayers.separableConv2d(this, name, x, options);
  }

  /**
   * Embedding lookup: {@code name.weight} [vocab, dim] of this model's float dtype {@code dtype}, initialised
   * N(0, 1) as PyTorch's nn.Embedding does; {@code ids} (i32 or i64, any shape) gives ids.shape + [dim].
   */
  public <T> Tensor<T> embedding(String name, Tensor<?> ids, long vocab, long dim, DataType<T> dtype) {
    return block(name, b -> parameter("weight", dtype, Shape.of(vocab, dim), Initializers.normal(0, 1), vocab, dim).gather(ids, 0));
  }

  /** Embedding lookup with an f32 table; see {@link #embedding(String, Tensor, long, long, DataType)}. */
  public Tensor<dev.kiln.dsl.types.F32> embedding(String name, Tensor<?> ids, long vocab, long dim) {
    return embedding(name, ids, vocab, dim, DTypes.F32);
  }

  /**
   * PReLU layer with a learned slope per channel (axis 1 of x [N, C, ...]; the last axis of a rank-1 x):
   * {@code name.weight} [C, 1, ...] broadcasting over the axes after the channel axis, initialised to
   * {@code init} (PyTorch uses 0.25).
   */
  public <T> Tensor<T> prelu(String name, Tensor<T> x, double init) { return MoreLayers.prelu(this, name, x, init); }

  /** PReLU layer with slopes starting at 0.25, as PyTorch's. */
  public <T> Tensor<T> prelu(String name, Tensor<T> x) { return prelu(name, x, 0.25); }

  // ---- recurrent ----------------------------------------------------------------------------

  /**
   * A stacked LSTM with PyTorch's parameters ({@code name.weight_ih_l0 [4*hidden, in]} in gate order i,f,g,o,
   * {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, {@code _reverse} suffix). {@code x} is
   * {@code [batch, seq, in]} when {@code batchFirst}, else {@code [seq, batch, in]}. Returns every step's output of
   * the last layer ({@code [batch, seq, dirs*hidden]} batch-first) or, without {@code returnSequences}, its final
   * hidden state(s) {@code [batch, dirs*hidden]}. Runs unrolled on TensorFlow (static sequence length) and as
   * native {@code LSTM} nodes in ONNX (any sequence length).
   */
  public <T> Tensor<T> lstm(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                            boolean returnSequences) {
    return lstm(name, x, hidden, layers, batchFirst, bidirectional, returnSequences, null, null);
  }

  /** {@link #lstm(String, Tensor, long, int, boolean, boolean, boolean)} from initial states {@code h0}, {@code c0} (PyTorch's {@code [layers*dirs, batch, hidden]}; null for zeros). */
  public <T> Tensor<T> lstm(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                            boolean returnSequences, @org.jspecify.annotations.Nullable Tensor<T> h0, @org.jspecify.annotations.Nullable Tensor<T> c0) {
    return RecurrentLayers.stack(this, RecurrentLayers.Kind.LSTM, name, x, hidden, layers, batchFirst, bidirectional, returnSequences, h0, c0);
  }

  /** A stacked GRU as PyTorch's ({@code linear_before_reset}; gate order r,z,n in its weights); see {@link #lstm}. */
  public <T> Tensor<T> gru(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences) {
    return gru(name, x, hidden, layers, batchFirst, bidirectional, returnSequences, null);
  }

  /** A stacked GRU from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null for zeros). */
  public <T> Tensor<T> gru(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences, @org.jspecify.annotations.Nullable Tensor<T> h0) {
    return RecurrentLayers.stack(this, RecurrentLayers.Kind.GRU, name, x, hidden, layers, batchFirst, bidirectional, returnSequences, h0, null);
  }

  /** A stacked tanh RNN as PyTorch's {@code nn.RNN}; see {@link #lstm}. */
  public <T> Tensor<T> rnn(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences) {
    return rnn(name, x, hidden, layers, batchFirst, bidirectional, returnSequences, null);
  }

  /** A stacked tanh RNN from initial state {@code h0} ({@code [layers*dirs, batch, hidden]}; null for zeros). */
  public <T> Tensor<T> rnn(String name, Tensor<T> x, long hidden, int layers, boolean batchFirst, boolean bidirectional,
                           boolean returnSequences, @org.jspecify.annotations.Nullable Tensor<T> h0) {
    return RecurrentLayers.stack(this, RecurrentLayers.Kind.RNN, name, x, hidden, layers, batchFirst, bidirectional, returnSequences, h0, null);
  }

  // ---- attention ----------------------------------------------------------------------------

  /**
   * Scaled dot-product attention: softmax(q k^T / sqrt(d) + mask) v over the last two axes of q [..., Lq, d],
   * k [..., Lk, d], v [..., Lk, dv]. {@code mask} (nullable): bool, true where a query may not attend (e.g. padded
   * keys), or a float mask added to the scores, broadcasting to [..., Lq, Lk]; {@code causal} hides later keys.
   */
  public static <T> Tensor<T> scaledDotProductAttention(Tensor<T> q, Tensor<T> k, Tensor<T> v,
                                                        @org.jspecify.annotations.Nullable Tensor<?> mask, boolean causal) {
    return AttentionLayers.scaledDotProduct(q, k, v, mask, causal, 0);
  }

  /**
   * Multi-head attention as PyTorch's nn.MultiheadAttention with batch_first: query [N, Lq, E], key and value
   * [N, Lk, E] to [N, Lq, E]; parameters {@code name.in_proj_weight [3E, E]}, {@code name.in_proj_bias},
   * {@code name.out_proj.weight/bias}. {@code keyPaddingMask} (nullable) bool [N, Lk], true at padded keys.
   */
  public <T> Tensor<T> multiHeadAttention(String name, Tensor<T> query, Tensor<T> key, Tensor<T> value, long heads,
                                         @org.jspecify.annotations.Nullable Tensor<dev.kiln.dsl.types.Bool> keyPaddingMask,
                                         boolean causal, double dropout) {
    return AttentionLayers.multiHead(this, name, query, key, value, heads, keyPaddingMask, causal, dropout);
  }

  /** Self-attention: {@link #multiHeadAttention} with query = key = value = x, no dropout. */
  public <T> Tensor<T> selfAttention(String name, Tensor<T> x, long heads,
                                     @org.jspecify.annotations.Nullable Tensor<dev.kiln.dsl.types.Bool> keyPaddingMask, boolean causal) {
    return AttentionLayers.multiHead(this, name, x, x, x, heads, keyPaddingMask, causal, 0);
  }

  /** x [N, L, E] plus the constant sinusoidal encoding of "Attention Is All You Need" (sin on even, cos on odd features). */
  public <T> Tensor<T> sinusoidalPositions(Tensor<T> x) { return AttentionLayers.sinusoidal(x); }

  /** x [N, L, E] plus a learned position embedding {@code name.weight [maxLen, E]} (rows 0..L-1). */
  public <T> Tensor<T> learnedPositions(String name, Tensor<T> x, long maxLen) {
    return AttentionLayers.learnedPositions(this, name, x, maxLen);
  }

  /**
   * A transformer encoder layer as PyTorch's nn.TransformerEncoderLayer with batch_first (pre- or post-norm,
   * ReLU or GELU, dropout; see {@link Transformer}); x [N, L, E]; {@code keyPaddingMask} (nullable) bool [N, L].
   */
  public <T> Tensor<T> transformerEncoderLayer(String name, Tensor<T> x, Transformer options,
                                              @org.jspecify.annotations.Nullable Tensor<dev.kiln.dsl.types.Bool> keyPaddingMask) {
    return AttentionLayers.encoderLayer(this, name, x, options, keyPaddingMask);
  }

  /** A stack of {@code layers} encoder layers, {@code name.layers.<i>}, as PyTorch's nn.TransformerEncoder (no final norm). */
  public <T> Tensor<T> transformerEncoder(String name, Tensor<T> x, int layers, Transformer options,
                                         @org.jspecify.annotations.Nullable Tensor<dev.kiln.dsl.types.Bool> keyPaddingMask) {
    return AttentionLayers.encoder(this, name, x, layers, options, keyPaddingMask);
  }

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
