package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.Lstm;
import dev.kiln.dsl.types.F32;

/**
 * An LSTM image classifier that reads a 28x28 picture row by row: input {@code image} f32 [batch, 28, 28]
 * (a sequence of 28 rows of 28 pixels), one batch-first LSTM layer of {@value #HIDDEN} units, a linear layer
 * on its last hidden state, output {@code logits} [batch, 10]. Trains unrolled on TensorFlow; exports to a
 * native ONNX {@code LSTM} node.
 */
public final class RowLstmClassifier {
  /** Hidden units. */
  public static final long HIDDEN = 128;

  private RowLstmClassifier() {}

  /** The model with parameters initialised from {@code seed}. */
  public static Model build(long seed) {
    return Model.define("row_lstm_classifier", seed, m -> {
      Tensor<F32> image = m.input("image", F32, "batch", 28, 28);
      Tensor<F32> h = image.apply("lstm", Lstm.of(HIDDEN).finalState());
      m.output("logits", h.linear("fc", 10));
    });
  }
}
