package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Tensor

// Recurrent layers with named arguments over the Java API (ModelBuilder.lstm / gru / rnn): PyTorch's
// parameter names and layouts; batch-first by default, as most Kotlin/Java users feed [batch, seq, features].

/**
 * A stacked LSTM `name` over this [batch, seq, in] (or [seq, batch, in] with `batchFirst = false`) tensor;
 * see [dev.kiln.dsl.ModelBuilder.lstm]. Example: `x.lstm("enc", hidden = 32, layers = 2, returnSequences = false)`.
 */
fun <T : Any> Tensor<T>.lstm(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null, c0: Tensor<T>? = null,
): Tensor<T> = builder().lstm(name, this, hidden.toLong(), layers, batchFirst, bidirectional, returnSequences, h0, c0)

/** A stacked GRU (PyTorch's, linear before reset); see [lstm]. */
fun <T : Any> Tensor<T>.gru(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null,
): Tensor<T> = builder().gru(name, this, hidden.toLong(), layers, batchFirst, bidirectional, returnSequences, h0)

/** A stacked tanh RNN; see [lstm]. */
fun <T : Any> Tensor<T>.rnn(
  name: String, hidden: Int, layers: Int = 1, batchFirst: Boolean = true, bidirectional: Boolean = false,
  returnSequences: Boolean = true, h0: Tensor<T>? = null,
): Tensor<T> = builder().rnn(name, this, hidden.toLong(), layers, batchFirst, bidirectional, returnSequences, h0)
