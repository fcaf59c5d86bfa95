package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Tensor
import dev.kiln.dsl.layers.LearnedPositions
import dev.kiln.dsl.layers.MultiHeadAttention
import dev.kiln.dsl.layers.ScaledDotProductAttention
import dev.kiln.dsl.layers.SinusoidalPositions
import dev.kiln.dsl.layers.TransformerEncoder
import dev.kiln.dsl.layers.TransformerEncoderLayer
import dev.kiln.dsl.types.Bool

// Attention and transformer layers with named arguments over the layer classes (MultiHeadAttention,
// TransformerEncoderLayer...): PyTorch's parameter names (in_proj_weight, out_proj, self_attn, linear1, norm1...),
// batch-first [batch, seq, features]. Masks are bool, true where a key must be ignored.

/** softmax(q k^T / sqrt(d) + mask) v over the last two axes, this tensor being q: [ScaledDotProductAttention]. */
fun <T : Any> Tensor<T>.attention(k: Tensor<T>, v: Tensor<T>, mask: Tensor<*>? = null, causal: Boolean = false): Tensor<T> =
  ScaledDotProductAttention.of().causal(causal).apply(this, k, v, mask)

/**
 * Multi-head attention `name` ([MultiHeadAttention]) with this tensor as the query; key and value default to it
 * (self-attention). Example: `x.multiHeadAttention("attn", heads = 4, keyPaddingMask = pad)`.
 */
fun <T : Any> Tensor<T>.multiHeadAttention(
  name: String, heads: Int, key: Tensor<T> = this, value: Tensor<T> = key, keyPaddingMask: Tensor<Bool>? = null,
  causal: Boolean = false, dropout: Double = 0.0,
): Tensor<T> = MultiHeadAttention.of(heads.toLong()).causal(causal).dropout(dropout).apply(name, this, key, value, keyPaddingMask)

/** This [batch, seq, features] tensor plus the constant sinusoidal position encoding: [SinusoidalPositions]. */
fun <T : Any> Tensor<T>.sinusoidalPositions(): Tensor<T> = apply(SinusoidalPositions.of())

/** This [batch, seq, features] tensor plus a learned position embedding `name.weight` [maxLen, features]: [LearnedPositions]. */
fun <T : Any> Tensor<T>.learnedPositions(name: String, maxLen: Int): Tensor<T> = apply(name, LearnedPositions.of(maxLen.toLong()))

/** The encoder-layer options given as named arguments (null: the layer class's default). */
internal fun encoderLayer(heads: Int, feedForward: Int?, dropout: Double?, normFirst: Boolean, gelu: Boolean, causal: Boolean) =
  TransformerEncoderLayer.of(heads.toLong()).normFirst(normFirst).gelu(gelu).causal(causal)
    .opt(feedForward) { feedForward(it.toLong()) }.opt(dropout) { dropout(it) }

/**
 * A transformer encoder layer `name` ([TransformerEncoderLayer]) over this [batch, seq, E] tensor. Example:
 * `x.transformerEncoderLayer("enc", heads = 4, feedForward = 128, normFirst = true, gelu = true)`.
 */
fun <T : Any> Tensor<T>.transformerEncoderLayer(
  name: String, heads: Int, feedForward: Int? = null, dropout: Double? = null, normFirst: Boolean = false,
  gelu: Boolean = false, causal: Boolean = false, keyPaddingMask: Tensor<Bool>? = null,
): Tensor<T> = encoderLayer(heads, feedForward, dropout, normFirst, gelu, causal).apply(name, this, keyPaddingMask)

/** A stack of [layers] encoder layers `name.layers.<i>` ([TransformerEncoder]); see [transformerEncoderLayer]. */
fun <T : Any> Tensor<T>.transformerEncoder(
  name: String, layers: Int, heads: Int, feedForward: Int? = null, dropout: Double? = null, normFirst: Boolean = false,
  gelu: Boolean = false, causal: Boolean = false, keyPaddingMask: Tensor<Bool>? = null,
): Tensor<T> = TransformerEncoder.of(layers, encoderLayer(heads, feedForward, dropout, normFirst, gelu, causal)).apply(name, this, keyPaddingMask)
