package dev.kiln.dsl.kotlin

import dev.kiln.dsl.ModelBuilder
import dev.kiln.dsl.Tensor
import dev.kiln.dsl.Transformer
import dev.kiln.dsl.types.Bool

// Attention and transformer layers with named arguments over the Java API (ModelBuilder.multiHeadAttention,
// transformerEncoderLayer...): PyTorch's parameter names (in_proj_weight, out_proj, self_attn, linear1, norm1...),
// batch-first [batch, seq, features]. Masks are bool, true where a key must be ignored.

/** softmax(q k^T / sqrt(d) + mask) v over the last two axes, this tensor being q; see [ModelBuilder.scaledDotProductAttention]. */
fun <T : Any> Tensor<T>.attention(k: Tensor<T>, v: Tensor<T>, mask: Tensor<*>? = null, causal: Boolean = false): Tensor<T> =
  ModelBuilder.scaledDotProductAttention(this, k, v, mask, causal)

/**
 * Multi-head attention `name` (PyTorch's nn.MultiheadAttention, batch-first) with this tensor as the query;
 * key and value default to it (self-attention). Example: `x.multiHeadAttention("attn", heads = 4, keyPaddingMask = pad)`.
 */
fun <T : Any> Tensor<T>.multiHeadAttention(
  name: String, heads: Int, key: Tensor<T> = this, value: Tensor<T> = key, keyPaddingMask: Tensor<Bool>? = null,
  causal: Boolean = false, dropout: Double = 0.0,
): Tensor<T> = builder().multiHeadAttention(name, this, key, value, heads.toLong(), keyPaddingMask, causal, dropout)

/** This [batch, seq, features] tensor plus the constant sinusoidal position encoding. */
fun <T : Any> Tensor<T>.sinusoidalPositions(): Tensor<T> = builder().sinusoidalPositions(this)

/** This [batch, seq, features] tensor plus a learned position embedding `name.weight` [maxLen, features]. */
fun <T : Any> Tensor<T>.learnedPositions(name: String, maxLen: Int): Tensor<T> = builder().learnedPositions(name, this, maxLen.toLong())

/** The Java [Transformer] options for the named arguments (null: Java's default). */
internal fun transformerOptions(heads: Int, feedForward: Int?, dropout: Double?, normFirst: Boolean, gelu: Boolean, causal: Boolean): Transformer {
  val o = Transformer.heads(heads.toLong()).normFirst(normFirst).causal(causal)
  feedForward?.let { o.feedForward(it.toLong()) }
  dropout?.let { o.dropout(it) }
  if (gelu) o.gelu()
  return o
}

/**
 * A transformer encoder layer `name` (PyTorch's nn.TransformerEncoderLayer, batch-first) over this [batch, seq, E]
 * tensor. Example: `x.transformerEncoderLayer("enc", heads = 4, feedForward = 128, normFirst = true, gelu = true)`.
 */
fun <T : Any> Tensor<T>.transformerEncoderLayer(
  name: String, heads: Int, feedForward: Int? = null, dropout: Double? = null, normFirst: Boolean = false,
  gelu: Boolean = false, causal: Boolean = false, keyPaddingMask: Tensor<Bool>? = null,
): Tensor<T> = builder().transformerEncoderLayer(name, this, transformerOptions(heads, feedForward, dropout, normFirst, gelu, causal),
  keyPaddingMask)

/** A stack of [layers] encoder layers `name.layers.<i>` (PyTorch's nn.TransformerEncoder); see [transformerEncoderLayer]. */
fun <T : Any> Tensor<T>.transformerEncoder(
  name: String, layers: Int, heads: Int, feedForward: Int? = null, dropout: Double? = null, normFirst: Boolean = false,
  gelu: Boolean = false, causal: Boolean = false, keyPaddingMask: Tensor<Bool>? = null,
): Tensor<T> = builder().transformerEncoder(name, this, layers, transformerOptions(heads, feedForward, dropout, normFirst, gelu, causal),
  keyPaddingMask)
