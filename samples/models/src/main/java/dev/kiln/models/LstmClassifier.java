package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.Lstm;
import dev.kiln.dsl.types.F32;

/**
 * A sequence classifier as commonly written in PyTorch: {@code lstm = nn.LSTM(features, hidden, num_layers=2,
 * batch_first=True)}, then {@code fc = nn.Linear(hidden, classes)} on the last step's output. Kiln's LSTM layer
 * keeps PyTorch's parameters as they are ({@code lstm.weight_ih_l0 [4*hidden, in]} in gate order i,f,g,o,
 * {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, and {@code _l1} for the second layer) and
 * reorders the gates into ONNX's i,o,f,c inside the graph, so a PyTorch state dict binds without conversion.
 * Input {@code x} f32 [batch, seq, features], output {@code logits} [batch, classes].
 */
public final class LstmClassifier {
  private LstmClassifier() {}

  /** The model for sequences of {@code seq} steps ("seq" for any length in ONNX) of {@code features} values. */
  public static Model build(long seed, Object seq, long features, long hidden, long classes) {
    return Model.define("lstm_classifier", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", seq, features);
      // The last layer's final hidden state is its output at the last step (out[:, -1, :] in PyTorch).
      Tensor<F32> last = x.apply("lstm", Lstm.of(hidden).layers(2).finalState());
      m.output("logits", last.linear("fc", classes));
    });
  }
}
