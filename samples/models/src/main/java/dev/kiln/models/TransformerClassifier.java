package dev.kiln.models;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.TransformerEncoder;
import dev.kiln.dsl.layers.TransformerEncoderLayer;
import dev.kiln.dsl.types.F32;

/**
 * A transformer sequence classifier as written in PyTorch: {@code encoder = nn.TransformerEncoder(
 * nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0.1, batch_first=True), num_layers)} (post-norm,
 * ReLU), the mean over the sequence, then {@code head = nn.Linear(d_model, classes)}. Parameter names are PyTorch's
 * ({@code encoder.layers.0.self_attn.in_proj_weight}, {@code ...out_proj.weight}, {@code linear1}, {@code linear2},
 * {@code norm1}, {@code norm2}, {@code head.weight}). Input {@code x} f32 [batch, seq, dModel], output {@code logits}.
 */
public final class TransformerClassifier {
  private TransformerClassifier() {}

  /** The model with parameters initialised from {@code seed}. */
  public static Model build(long seed, long seq, long dModel, long heads, long feedForward, int layers, long classes) {
    return Model.define("transformer_classifier", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", seq, dModel);
      Tensor<F32> h = x.apply("encoder", TransformerEncoder.of(layers, TransformerEncoderLayer.of(heads).feedForward(feedForward)));
      m.output("logits", h.mean(false, 1).linear("head", classes));
    });
  }
}
