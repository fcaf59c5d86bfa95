package dev.kiln.dsl;

import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.Bool;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.op.OpRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Attention and transformer layers with PyTorch's parameterisation, so its state dicts bind by name:
 * {@code nn.MultiheadAttention} ({@code in_proj_weight [3E, E]} and {@code in_proj_bias [3E]} packed q, k, v
 * in PyTorch's row layout, {@code out_proj} a linear layer) and {@code nn.TransformerEncoderLayer}
 * ({@code self_attn}, {@code linear1}, {@code linear2}, {@code norm1}, {@code norm2}). Everything is batch-first:
 * sequences are {@code [N, L, E]}. Composed of primitives (MatMul, Softmax, Where...) and LayerNormalization.
 */
final class AttentionLayers {
  private AttentionLayers() {}

  /** A shape error at the user's line, reported against {@code op}. */
  private static ShapeException error(ModelBuilder m, String op, String message) {
    return m.graph().error(OpRegistry.get(op), message, SourceLocation.capture());
  }

  /**
   * softmax(q k^T / sqrt(d) + mask) v over the last two axes; masked scores become -inf. {@code mask}: bool,
   * true where a query may NOT attend (PyTorch's bool masks), or a float mask added to the scores;
   * it broadcasts to {@code [..., Lq, Lk]}. A query row with every key masked gives NaN (as in PyTorch).
   */
  static <T> Tensor<T> scaledDotProduct(Tensor<T> q, Tensor<T> k, Tensor<T> v, @Nullable Tensor<?> mask, boolean causal, double dropout) {
    ModelBuilder m = q.builder();
    if (q.rank() < 2 || k.rank() != q.rank() || v.rank() != q.rank()) {
      throw error(m, "MatMul", "attention needs q, k, v of one rank >= 2 ([..., L, d]), got " + q.type() + ", " + k.type() + ", " + v.type());
    }
    if (!q.dim(-1).isStatic() || !q.dim(-1).equals(k.dim(-1))) {
      throw error(m, "MatMul", "attention needs q and k with one static last dim, got " + q.type() + " and " + k.type());
    }
    if (!k.dim(-2).equals(v.dim(-2)) && k.dim(-2).isStatic() && v.dim(-2).isStatic()) {
      throw error(m, "MatMul", "attention needs k and v of one length (axis -2), got " + k.type() + " and " + v.type());
    }
    int r = q.rank();
    int[] swap = new int[r];
    for (int i = 0; i < r; i++) swap[i] = i;
    swap[r - 2] = r - 1;
    swap[r - 1] = r - 2;
    Tensor<T> scores = q.matmul(k.transpose(swap)).mul(1 / Math.sqrt(q.size(-1)));
    if (causal) {
      if (!q.dim(-2).isStatic() || !k.dim(-2).isStatic()) {
        throw error(m, "Where", "a causal mask needs static sequence lengths, got " + q.type() + " and " + k.type());
      }
      scores = ModelBuilder.where(causalMask(m, q.size(-2), k.size(-2)), scores.scalar(Double.NEGATIVE_INFINITY), scores);
    }
    if (mask != null) {
      if (mask.dtype() == DType.BOOL) {
        @SuppressWarnings("unchecked") Tensor<Bool> b = (Tensor<Bool>) mask;
        scores = ModelBuilder.where(b, scores.scalar(Double.NEGATIVE_INFINITY), scores);
      } else if (mask.dtype() == q.dtype()) {
        @SuppressWarnings("unchecked") Tensor<T> add = (Tensor<T>) mask;
        scores = scores.add(add);
      } else {
        throw error(m, "Where", "an attention mask must be bool or " + q.dtype() + " like q, got " + mask.type());
      }
    }
    Tensor<T> weights = scores.softmax(-1);
    if (dropout > 0) weights = weights.dropout(dropout);
    return weights.matmul(v);
  }

  /** [lq, lk] bool, true above the diagonal (key after query). */
  static Tensor<Bool> causalMask(ModelBuilder m, long lq, long lk) {
    boolean[] b = new boolean[Math.toIntExact(lq * lk)];
    for (int i = 0; i < lq; i++) for (int j = 0; j < lk; j++) b[i * (int) lk + j] = j > i;
    return m.constant(HostTensor.ofBooleans(b, lq, lk));
  }

  /**
   * nn.MultiheadAttention (batch_first): query [N, Lq, E], key and value [N, Lk, E]; {@code keyPadding} bool
   * [N, Lk], true at padded keys (ignored). Returns [N, Lq, E].
   */
  static <T> Tensor<T> multiHead(ModelBuilder m, String name, Tensor<T> query, Tensor<T> key, Tensor<T> value, long heads,
                                 @Nullable Tensor<Bool> keyPadding, boolean causal, double dropout) {
    if (query.rank() != 3 || key.rank() != 3 || value.rank() != 3 || !query.dim(2).isStatic()) {
      throw error(m, "MatMul", "multiHeadAttention '" + name + "' needs [N, L, E] inputs with a static E, got "
          + query.type() + ", " + key.type() + ", " + value.type());
    }
    long e = query.size(2);
    if (!key.dim(2).equals(query.dim(2)) || !value.dim(2).equals(query.dim(2))) {
      throw error(m, "MatMul", "multiHeadAttention '" + name + "' needs query, key and value of one width E, got "
          + query.type() + ", " + key.type() + ", " + value.type());
    }
    if (heads < 1 || e % heads != 0) {
      throw error(m, "Reshape", "multiHeadAttention '" + name + "': " + heads + " heads must divide the width " + e + " of " + query.type());
    }
    if (keyPadding != null && (keyPadding.rank() != 2 || keyPadding.dtype() != DType.BOOL)) {
      throw error(m, "Where", "multiHeadAttention '" + name + "' needs a bool key padding mask [N, Lk], got " + keyPadding.type());
    }
    long d = e / heads;
    return m.block(name, b -> {
      DataType<T> dt = new DataType<>(query.dtype());
      // PyTorch: xavier_uniform_ on in_proj_weight [3E, E], zero biases.
      Tensor<T> w = m.parameter("in_proj_weight", dt, Shape.of(3 * e, e), Initializers.glorotUniform(), e, 3 * e);
      Tensor<T> bias = m.parameter("in_proj_bias", dt, Shape.of(3 * e), Initializers.zeros(), e, 3 * e);
      // NOTE: the weight keeps PyTorch's [out, in] rows (q, k, v stacked) and is transposed in the graph, so
      // a state dict binds as is (Weights transposes only parameters that feed MatMul directly).
      Tensor<T> wt = w.transpose(1, 0);
      Tensor<T> q = split(project(query, wt, bias, 0, e), heads, d);
      Tensor<T> k = split(project(key, wt, bias, 1, e), heads, d);
      Tensor<T> v = split(project(value, wt, bias, 2, e), heads, d);
      Tensor<Bool> mask = keyPadding == null ? null : keyPadding.unsqueeze(1, 2);  // [N, 1, 1, Lk] over [N, H, Lq, Lk]
      Tensor<T> o = scaledDotProduct(q, k, v, mask, causal, dropout);
      Tensor<T> merged = o.transpose(0, 2, 1, 3).reshape(0, 0, e);
      return m.linear("out_proj", merged, e, true, Initializers.glorotUniform(), Initializers.zeros());
    });
  }

  /** x @ wt[:, part*E:(part+1)*E] + bias[part*E:(part+1)*E]. */
  private static <T> Tensor<T> project(Tensor<T> x, Tensor<T> wt, Tensor<T> bias, int part, long e) {
    return x.matmul(wt.slice(1, part * e, (part + 1) * e)).add(bias.slice(0, part * e, (part + 1) * e));
  }

  /** [N, L, H*D] to [N, H, L, D]. */
  private static <T> Tensor<T> split(Tensor<T> x, long heads, long d) {
    return x.reshape(0, 0, heads, d).transpose(0, 2, 1, 3);
  }

  /** x + PE[:L], PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(p / 10000^(2i/E)); x [N, L, E], static L and E. */
  static <T> Tensor<T> sinusoidal(Tensor<T> x) {
    ModelBuilder m = x.builder();
    if (x.rank() != 3 || !x.dim(1).isStatic() || !x.dim(2).isStatic()) {
      throw error(m, "Add", "sinusoidal positions need x [N, L, E] with static L and E, got " + x.type());
    }
    int len = (int) x.size(1);
    int e = (int) x.size(2);
    double[] pe = new double[len * e];
    for (int p = 0; p < len; p++) {
      for (int i = 0; i < e; i++) {
        double angle = p / Math.pow(10000, (double) (i - i % 2) / e);
        pe[p * e + i] = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return x.add(m.constant(HostTensor.fromDoubles(x.dtype(), pe, len, e)));
  }

  /** x + weight[:L], {@code name.weight} [maxLen, E] learned, N(0, 0.02); x [N, L, E] with static L <= maxLen. */
  static <T> Tensor<T> learnedPositions(ModelBuilder m, String name, Tensor<T> x, long maxLen) {
    if (x.rank() != 3 || !x.dim(1).isStatic() || !x.dim(2).isStatic() || x.size(1) > maxLen) {
      throw error(m, "Add", "learnedPositions '" + name + "' needs x [N, L, E] with static L <= " + maxLen + " and static E, got " + x.type());
    }
    long e = x.size(2);
    return m.block(name, b -> {
      Tensor<T> w = m.parameter("weight", new DataType<>(x.dtype()), Shape.of(maxLen, e), Initializers.normal(0, 0.02), maxLen, e);
      return x.add(x.size(1) == maxLen ? w : w.slice(0, 0, x.size(1)));
    });
  }

  /**
   * nn.TransformerEncoderLayer (batch_first): post-norm {@code norm1(x + sa(x))}, {@code norm2(x + ff(x))}, or
   * pre-norm {@code x + sa(norm1(x))}, {@code x + ff(norm2(x))}; ff = linear2(dropout(act(linear1(x)))).
   */
  static <T> Tensor<T> encoderLayer(ModelBuilder m, String name, Tensor<T> x, Transformer o, @Nullable Tensor<Bool> keyPadding) {
    if (x.rank() != 3 || !x.dim(2).isStatic()) {
      throw error(m, "MatMul", "transformerEncoderLayer '" + name + "' needs x [N, L, E] with a static E, got " + x.type());
    }
    long e = x.size(2);
    long ff = o.feedForward > 0 ? o.feedForward : 4 * e;
    return m.block(name, b -> {
      Tensor<T> h = x;
      if (o.normFirst) {
        h = h.add(drop(selfAttention(m, h.layerNorm("norm1"), o, keyPadding), o.dropout));
        h = h.add(drop(feedForward(m, h.layerNorm("norm2"), e, ff, o), o.dropout));
      } else {
        h = h.add(drop(selfAttention(m, h, o, keyPadding), o.dropout)).layerNorm("norm1");
        h = h.add(drop(feedForward(m, h, e, ff, o), o.dropout)).layerNorm("norm2");
      }
      return h;
    });
  }

  private static <T> Tensor<T> selfAttention(ModelBuilder m, Tensor<T> x, Transformer o, @Nullable Tensor<Bool> keyPadding) {
    return multiHead(m, "self_attn", x, x, x, o.heads, keyPadding, o.causal, o.dropout);
  }

  private static <T> Tensor<T> feedForward(ModelBuilder m, Tensor<T> x, long e, long ff, Transformer o) {
    Tensor<T> h = m.linear("linear1", x, ff);
    h = o.gelu ? h.gelu() : h.relu();
    return m.linear("linear2", drop(h, o.dropout), e);
  }

  private static <T> Tensor<T> drop(Tensor<T> x, double rate) { return rate > 0 ? x.dropout(rate) : x; }

  /** nn.TransformerEncoder: {@code layers} encoder layers named {@code name.layers.0}, {@code name.layers.1}, ... */
  static <T> Tensor<T> encoder(ModelBuilder m, String name, Tensor<T> x, int layers, Transformer o, @Nullable Tensor<Bool> keyPadding) {
    if (layers < 1) throw error(m, "MatMul", "transformerEncoder '" + name + "' needs layers >= 1, got " + layers);
    return m.block(name, b -> m.block("layers", bl -> {
      Tensor<T> h = x;
      for (int i = 0; i < layers; i++) h = encoderLayer(m, Integer.toString(i), h, o, keyPadding);
      return h;
    }));
  }
}
