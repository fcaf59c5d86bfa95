package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Tensor
import dev.kiln.dsl.layers.Gru
import dev.kiln.dsl.layers.Lstm
import dev.kiln.dsl.layers.RecurrentLayer
import dev.kiln.dsl.layers.RecurrentLayer.Direction
import dev.kiln.dsl.layers.RecurrentLayer.Layout
import dev.kiln.dsl.layers.RecurrentLayer.Output
import dev.kiln.dsl.layers.Rnn

// Recurrent layers with named arguments over the layer classes Lstm, Gru and Rnn: PyTorch's parameter names and
// layouts; batch-first by default, as the Java classes are. Named Boolean arguments read well in Kotlin, so they
// stay; each maps onto one of the classes' enum options.

/** The recurrent options given as named arguments. */
internal fun <S : RecurrentLayer<S>> S.configure(layers: Int, batchFirst: Boolean, bidirectional: Boolean, returnSequences: Boolean): S =
  layers(layers).layout(if (batchFirst) Layout.BATCH_FIRST else Layout.SEQUENCE_FIRST)
    .direction(if (bidirectional) Direction.BIDIRECTIONAL else Direction.FORWARD)
    .output(if (returnSequences) Output.SEQUENCE else Output.FINAL_STATE)

/**
 * A stacked LSTM `name` over this [batch, seq, in] (or [seq, batch, in] with `batchFirst = false`) tensor: [Lstm].
 * Example: `x.lstm("enc", hidden = 32, layers = 2, returnSequences = false)`.
 */
fun <T : Any> Tensor<T>.lstm(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null, c0: Tensor<T>? = null,
): Tensor<T> = Lstm.of(hidden.toLong()).configure(layers, batchFirst, bidirectional, returnSequences).apply(name, this, h0, c0)

/** A stacked GRU (PyTorch's, linear before reset): [Gru]; see [lstm]. */
fun <T : Any> Tensor<T>.gru(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null,
): Tensor<T> = Gru.of(hidden.toLong()).configure(layers, batchFirst, bidirectional, returnSequences).apply(name, this, h0)

/** A stacked tanh RNN: [Rnn]; see [lstm]. */
fun <T : Any> Tensor<T>.rnn(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null,
): Tensor<T> = Rnn.of(hidden.toLong()).configure(layers, batchFirst, bidirectional, returnSequences).apply(name, this, h0)
