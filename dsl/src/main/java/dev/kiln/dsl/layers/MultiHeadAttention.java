package dev.kiln.dsl.layers;

import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.Bool;
import dev.kiln.spec.DType;
import dev.kiln.spec.Shape;
import org.jspecify.annotations.Nullable;

/**
 * Multi-head attention as PyTorch's {@code nn.MultiheadAttention} with {@code batch_first}: query [N, Lq, E], key and
 * value [N, Lk, E] to [N, Lq, E]; parameters {@code name.in_proj_weight [3E, E]} (q, k, v stacked in PyTorch's row
 * layout, Glorot uniform), {@code name.in_proj_bias [3E]} (zeros), {@code name.out_proj.weight/bias} (a {@link Linear}).
 * As a {@link Layer} it is self-attention (query = key = value = x). Example:
 * {@code x.apply("attn", MultiHeadAttention.of(4).causal())}, {@code MultiHeadAttention.of(4).apply("cross", q, kv, kv, pad)}.
 */
public final class MultiHeadAttention implements Layer {
  /** The options: heads (they must divide the width E), causal masking, dropout on the attention weights. */
  public record Options(long heads, boolean causal, double dropout) {
    /** Checks the options. */
    public Options {
      Check.option(heads >= 1, "MultiHeadAttention", "heads must be >= 1, got " + heads);
      Check.option(dropout >= 0 && dropout < 1, "MultiHeadAttention", "dropout must be in [0, 1), got " + dropout);
    }
  }

  private final Options o;

  private MultiHeadAttention(Options o) { this.o = o; }

  /** Attention with {@code heads} heads, not causal, no dropout. */
  public static MultiHeadAttention of(long heads) { return new MultiHeadAttention(new Options(heads, false, 0)); }

  /** The options. */
  public Options options() { return o; }

  /** Each query attends only to keys at its position or earlier. */
  public MultiHeadAttention causal() { return causal(true); }

  /** Whether each query attends only to keys at its position or earlier. */
  public MultiHeadAttention causal(boolean on) { return new MultiHeadAttention(new Options(o.heads, on, o.dropout)); }

  /** Dropout of attention weights with probability {@code rate} in training (PyTorch's {@code dropout}). */
  public MultiHeadAttention dropout(double rate) { return new MultiHeadAttention(new Options(o.heads, o.causal, rate)); }

  /** Self-attention over x [N, L, E]. */
  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) { return apply(name, x, x, x, null); }

  /** Attention of {@code query} over {@code key} and {@code value}. */
  public <T> Tensor<T> apply(String name, Tensor<T> query, Tensor<T> key, Tensor<T> value) { return apply(name, query, key, value, null); }

  /** Attention with {@code keyPaddingMask} (nullable) bool [N, Lk], true at padded keys (ignored). */
  public <T> Tensor<T> apply(String name, Tensor<T> query, Tensor<T> key, Tensor<T> value, @Nullable Tensor<Bool> keyPaddingMask) {
    if (query.rank() != 3 || key.rank() != 3 || value.rank() != 3 || !query.dim(2).isStatic()) {
      throw Check.input(query, "MatMul", "multiHeadAttention '" + name + "' needs [N, L, E] inputs with a static E, got "
          + query.type() + ", " + key.type() + ", " + value.type());
    }
    long e = query.size(2);
    long heads = o.heads;
    if (!key.dim(2).equals(query.dim(2)) || !value.dim(2).equals(query.dim(2))) {
      throw Check.input(query, "MatMul", "multiHeadAttention '" + name + "' needs query, key and value of one width E, got "
          + query.type() + ", " + key.type() + ", " + value.type());
    }
    if (e % heads != 0) {
      throw Check.input(query, "Reshape", "multiHeadAttention '" + name + "': " + heads + " heads must divide the width " + e
          + " of " + query.type());
    }
    if (keyPaddingMask != null && (keyPaddingMask.rank() != 2 || keyPaddingMask.dtype() != DType.BOOL)) {
      throw Check.input(query, "Where", "multiHeadAttention '" + name + "' needs a bool key padding mask [N, Lk], got "
          + keyPaddingMask.type());
    }
    long d = e / heads;
    ModelBuilder m = query.builder();
    return m.block(name, b -> {
      DataType<T> dt = query.dataType();
      // PyTorch: xavier_uniform_ on in_proj_weight [3E, E], zero biases.
      Tensor<T> w = m.parameter("in_proj_weight", dt, Shape.of(3 * e, e), Initializers.glorotUniform(), e, 3 * e);
      Tensor<T> bias = m.parameter("in_proj_bias", dt, Shape.of(3 * e), Initializers.zeros(), e, 3 * e);
      // NOTE: the weight keeps PyTorch's [out, in] rows (q, k, v stacked) and is transposed in the graph, so
      // a state dict binds as is (Weights transposes only parameters that feed MatMul directly).
      Tensor<T> wt = w.transpose(1, 0);
      Tensor<T> q = split(project(query, wt, bias, 0, e), heads, d);
      Tensor<T> k = split(project(key, wt, bias, 1, e), heads, d);
      Tensor<T> v = split(project(value, wt, bias, 2, e), heads, d);
      Tensor<Bool> mask = keyPaddingMask == null ? null : keyPaddingMask.unsqueeze(1, 2);  // [N, 1, 1, Lk] over [N, H, Lq, Lk]
      Tensor<T> out = ScaledDotProductAttention.of().causal(o.causal).dropout(o.dropout).apply(q, k, v, mask);
      Tensor<T> merged = out.transpose(0, 2, 1, 3).reshape(0, 0, e);
      return Linear.of(e).apply("out_proj", merged);
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

  @Override public boolean equals(Object other) { return other instanceof MultiHeadAttention a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("MultiHeadAttention", o); }
}
