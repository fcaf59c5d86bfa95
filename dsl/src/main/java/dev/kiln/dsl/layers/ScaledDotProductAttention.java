package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.Bool;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import org.jspecify.annotations.Nullable;

/**
 * Scaled dot-product attention, softmax(q k^T / sqrt(d) + mask) v over the last two axes of q [..., Lq, d],
 * k [..., Lk, d], v [..., Lk, dv]; no parameters. Options: {@link #causal()} hides later keys; {@link #dropout} drops
 * attention weights in training. Example: {@code ScaledDotProductAttention.of().causal().apply(q, k, v)}.
 */
public final class ScaledDotProductAttention {
  /** The options: whether later keys are hidden, the dropout rate on the attention weights. */
  public record Options(boolean causal, double dropout) {
    /** Checks the options. */
    public Options {
      Check.option(dropout >= 0 && dropout < 1, "ScaledDotProductAttention", "dropout must be in [0, 1), got " + dropout);
    }
  }

  private final Options o;

  private ScaledDotProductAttention(Options o) { this.o = o; }

  /** Attention without a causal mask or dropout. */
  public static ScaledDotProductAttention of() { return new ScaledDotProductAttention(new Options(false, 0)); }

  /** The options. */
  public Options options() { return o; }

  /** Each query attends only to keys at its position or earlier. */
  public ScaledDotProductAttention causal() { return causal(true); }

  /** Whether each query attends only to keys at its position or earlier. */
  public ScaledDotProductAttention causal(boolean on) { return new ScaledDotProductAttention(new Options(on, o.dropout)); }

  /** Dropout of attention weights with probability {@code rate} in training. */
  public ScaledDotProductAttention dropout(double rate) { return new ScaledDotProductAttention(new Options(o.causal, rate)); }

  /** Attention of {@code q} over {@code k} and {@code v}, no mask. */
  public <T> Tensor<T> apply(Tensor<T> q, Tensor<T> k, Tensor<T> v) { return apply(q, k, v, null); }

  /**
   * Attention with {@code mask} (nullable): bool, true where a query may NOT attend (PyTorch's bool masks), or a float
   * mask of q's dtype added to the scores; it broadcasts to {@code [..., Lq, Lk]}. Masked scores become -inf, so a
   * query row with every key masked gives NaN (as in PyTorch).
   */
  public <T> Tensor<T> apply(Tensor<T> q, Tensor<T> k, Tensor<T> v, @Nullable Tensor<?> mask) {
    ModelBuilder m = q.builder();
    if (q.rank() < 2 || k.rank() != q.rank() || v.rank() != q.rank()) {
      throw Check.input(q, "MatMul", "attention needs q, k, v of one rank >= 2 ([..., L, d]), got " + q.type() + ", " + k.type() + ", " + v.type());
    }
    if (!q.dim(-1).isStatic() || !q.dim(-1).equals(k.dim(-1))) {
      throw Check.input(q, "MatMul", "attention needs q and k with one static last dim, got " + q.type() + " and " + k.type());
    }
    if (!k.dim(-2).equals(v.dim(-2)) && k.dim(-2).isStatic() && v.dim(-2).isStatic()) {
      throw Check.input(q, "MatMul", "attention needs k and v of one length (axis -2), got " + k.type() + " and " + v.type());
    }
    int r = q.rank();
    int[] swap = new int[r];
    for (int i = 0; i < r; i++) swap[i] = i;
    swap[r - 2] = r - 1;
    swap[r - 1] = r - 2;
    Tensor<T> scores = q.matmul(k.transpose(swap)).mul(1 / Math.sqrt(q.size(-1)));
    if (o.causal) {
      if (!q.dim(-2).isStatic() || !k.dim(-2).isStatic()) {
        throw Check.input(q, "Where", "a causal mask needs static sequence lengths, got " + q.type() + " and " + k.type());
      }
      scores = ModelBuilder.where(causalMask(m, q.size(-2), k.size(-2)), minusInfinity(scores), scores);
    }
    if (mask != null) {
      if (mask.dtype() == DType.BOOL) {
        @SuppressWarnings("unchecked") Tensor<Bool> b = (Tensor<Bool>) mask;
        scores = ModelBuilder.where(b, minusInfinity(scores), scores);
      } else if (mask.dtype() == q.dtype()) {
        @SuppressWarnings("unchecked") Tensor<T> add = (Tensor<T>) mask;
        scores = scores.add(add);
      } else {
        throw Check.input(q, "Where", "an attention mask must be bool or " + q.dtype() + " like q, got " + mask.type());
      }
    }
    Tensor<T> weights = scores.softmax(-1);
    if (o.dropout > 0) weights = Dropout.of(o.dropout).apply(weights);
    return weights.matmul(v);
  }

  /** A -inf scalar of {@code like}'s dtype. */
  private static <T> Tensor<T> minusInfinity(Tensor<T> like) {
    return like.builder().constant(HostTensor.scalar(like.dtype(), Double.NEGATIVE_INFINITY));
  }

  /** [lq, lk] bool, true above the diagonal (key after query). */
  private static Tensor<Bool> causalMask(ModelBuilder m, long lq, long lk) {
    boolean[] b = new boolean[Math.toIntExact(lq * lk)];
    for (int i = 0; i < lq; i++) for (int j = 0; j < lk; j++) b[i * (int) lk + j] = j > i;
    return m.constant(HostTensor.ofBooleans(b, lq, lk));
  }

  @Override public boolean equals(Object other) { return other instanceof ScaledDotProductAttention a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("ScaledDotProductAttention", o); }
}
