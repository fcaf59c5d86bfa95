package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.Bool;
import org.jspecify.annotations.Nullable;

/**
 * A transformer encoder layer as PyTorch's {@code nn.TransformerEncoderLayer} with {@code batch_first}, over x [N, L, E]:
 * post-norm {@code norm1(x + sa(x))}, {@code norm2(x + ff(x))}, or pre-norm ({@link #normFirst()})
 * {@code x + sa(norm1(x))}, {@code x + ff(norm2(x))}; ff = linear2(dropout(act(linear1(x)))). Parameters
 * {@code name.self_attn.*} ({@link MultiHeadAttention}), {@code name.linear1}, {@code name.linear2}, {@code name.norm1},
 * {@code name.norm2}. Defaults as PyTorch's where it has them: dropout 0.1, ReLU, post-norm; the feed-forward width
 * defaults to 4 x E (PyTorch's fixed default is 2048). Example:
 * {@code x.apply("enc", TransformerEncoderLayer.of(4).feedForward(128).dropout(0).normFirst().gelu())}.
 */
public final class TransformerEncoderLayer implements Layer {
  /**
   * The options: attention heads, feed-forward width (0: 4 x E), dropout rate (after attention, inside and after the
   * feed-forward block, and on the attention weights), pre-norm, GELU instead of ReLU, causal self-attention.
   */
  public record Options(long heads, long feedForward, double dropout, boolean normFirst, boolean gelu, boolean causal) {
    /** Checks the options. */
    public Options {
      Check.option(heads >= 1, "TransformerEncoderLayer", "heads must be >= 1, got " + heads);
      Check.option(feedForward >= 0, "TransformerEncoderLayer", "feedForward must be >= 1 (0: 4 x E), got " + feedForward);
      Check.option(dropout >= 0 && dropout < 1, "TransformerEncoderLayer", "dropout must be in [0, 1), got " + dropout);
    }
  }

  private final Options o;

  private TransformerEncoderLayer(Options o) { this.o = o; }

  /** An encoder layer with {@code heads} attention heads and PyTorch's defaults otherwise. */
  public static TransformerEncoderLayer of(long heads) { return new TransformerEncoderLayer(new Options(heads, 0, 0.1, false, false, false)); }

  /** The options. */
  public Options options() { return o; }

  /** The hidden width of the feed-forward block. */
  public TransformerEncoderLayer feedForward(long width) {
    Check.option(width >= 1, "TransformerEncoderLayer", "feedForward must be >= 1, got " + width);
    return new TransformerEncoderLayer(new Options(o.heads, width, o.dropout, o.normFirst, o.gelu, o.causal));
  }

  /** The dropout rate (0 turns every dropout off). */
  public TransformerEncoderLayer dropout(double rate) {
    return new TransformerEncoderLayer(new Options(o.heads, o.feedForward, rate, o.normFirst, o.gelu, o.causal));
  }

  /** Pre-norm (PyTorch's {@code norm_first=True}). */
  public TransformerEncoderLayer normFirst() { return normFirst(true); }

  /** Pre-norm when {@code on}, else post-norm. */
  public TransformerEncoderLayer normFirst(boolean on) {
    return new TransformerEncoderLayer(new Options(o.heads, o.feedForward, o.dropout, on, o.gelu, o.causal));
  }

  /** Exact GELU in the feed-forward block instead of ReLU. */
  public TransformerEncoderLayer gelu() { return gelu(true); }

  /** GELU when {@code on}, else ReLU. */
  public TransformerEncoderLayer gelu(boolean on) {
    return new TransformerEncoderLayer(new Options(o.heads, o.feedForward, o.dropout, o.normFirst, on, o.causal));
  }

  /** Each position attends only to itself and earlier positions. */
  public TransformerEncoderLayer causal() { return causal(true); }

  /** Whether each position attends only to itself and earlier positions. */
  public TransformerEncoderLayer causal(boolean on) {
    return new TransformerEncoderLayer(new Options(o.heads, o.feedForward, o.dropout, o.normFirst, o.gelu, on));
  }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) { return apply(name, x, null); }

  /** The layer on x [N, L, E] with {@code keyPaddingMask} (nullable) bool [N, L], true at padded positions. */
  public <T> Tensor<T> apply(String name, Tensor<T> x, @Nullable Tensor<Bool> keyPaddingMask) {
    if (x.rank() != 3 || !x.dim(2).isStatic()) {
      throw Check.input(x, "MatMul", "transformerEncoderLayer '" + name + "' needs x [N, L, E] with a static E, got " + x.type());
    }
    long e = x.size(2);
    long ff = o.feedForward > 0 ? o.feedForward : 4 * e;
    MultiHeadAttention attention = MultiHeadAttention.of(o.heads).causal(o.causal).dropout(o.dropout);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      Tensor<T> h = x;
      if (o.normFirst) {
        Tensor<T> n1 = norm("norm1", h);
        h = h.add(drop(attention.apply("self_attn", n1, n1, n1, keyPaddingMask)));
        h = h.add(drop(feedForward(norm("norm2", h), e, ff)));
      } else {
        h = norm("norm1", h.add(drop(attention.apply("self_attn", h, h, h, keyPaddingMask))));
        h = norm("norm2", h.add(drop(feedForward(h, e, ff))));
      }
      return h;
    });
  }

  private static <T> Tensor<T> norm(String name, Tensor<T> x) { return LayerNorm.of().apply(name, x); }

  private <T> Tensor<T> feedForward(Tensor<T> x, long e, long ff) {
    Tensor<T> h = Linear.of(ff).apply("linear1", x);
    h = o.gelu ? h.gelu() : h.relu();
    return Linear.of(e).apply("linear2", drop(h));
  }

  private <T> Tensor<T> drop(Tensor<T> x) { return o.dropout > 0 ? Dropout.of(o.dropout).apply(x) : x; }

  @Override public boolean equals(Object other) { return other instanceof TransformerEncoderLayer a && a.o.equals(o); }

  @Override public int hashCode() { return o.hashCode(); }

  @Override public String toString() { return Check.show("TransformerEncoderLayer", o); }
}
