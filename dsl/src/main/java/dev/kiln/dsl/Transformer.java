package dev.kiln.dsl;

import dev.kiln.dsl.layers.TransformerEncoderLayer;

/**
 * Mutable options of a transformer encoder layer for {@link ModelBuilder#transformerEncoderLayer} and
 * {@link ModelBuilder#transformerEncoder}, PyTorch's {@code nn.TransformerEncoderLayer} defaults where it has
 * them: dropout 0.1, ReLU feed-forward, post-norm, layer-norm epsilon 1e-5; the feed-forward width defaults to
 * 4 x the model width (PyTorch's fixed default is 2048). Example:
 * {@code Transformer.heads(4).feedForward(128).dropout(0).normFirst(true).gelu()}. The layer class
 * {@link TransformerEncoderLayer} holds the same options immutably and does the work.
 */
public final class Transformer {
  long heads;
  long feedForward = -1;
  double dropout = 0.1;
  boolean normFirst;
  boolean gelu;
  boolean causal;

  private Transformer(long heads) { this.heads = heads; }

  /** Options with {@code heads} attention heads (they must divide the model width). */
  public static Transformer heads(long heads) {
    if (heads < 1) throw new IllegalArgumentException("heads must be >= 1, got " + heads);
    return new Transformer(heads);
  }

  /** The hidden width of the feed-forward block. */
  public Transformer feedForward(long width) {
    if (width < 1) throw new IllegalArgumentException("feedForward must be >= 1, got " + width);
    feedForward = width;
    return this;
  }

  /** Dropout rate after attention, inside and after the feed-forward block, and on the attention weights. */
  public Transformer dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
    dropout = rate;
    return this;
  }

  /** Pre-norm ({@code norm_first=True}): x + attn(norm1(x)), then x + ff(norm2(x)); default post-norm. */
  public Transformer normFirst(boolean on) {
    normFirst = on;
    return this;
  }

  /** Exact GELU in the feed-forward block instead of ReLU. */
  public Transformer gelu() {
    gelu = true;
    return this;
  }

  /** Each position attends only to itself and earlier positions. */
  public Transformer causal(boolean on) {
    causal = on;
    return this;
  }

  /** These options as the layer class. */
  TransformerEncoderLayer toLayer() {
    TransformerEncoderLayer l = TransformerEncoderLayer.of(heads).dropout(dropout).normFirst(normFirst).gelu(gelu).causal(causal);
    return feedForward > 0 ? l.feedForward(feedForward) : l;
  }
}
