package dev.kiln.dsl.layers;

import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
import dev.kiln.spec.Dim;
import org.junit.jupiter.api.Test;

/** The Java examples of README.md, as written there, build what the text says. */
class ReadmeExampleTest {
  @Test
  void mlp() {
    Dim batch = Dim.symbolic("batch");
    Model mlp = Model.build("mlp", m -> {
      Tensor<F32> x = m.input("image", F32, batch, 784);
      Tensor<F32> h = x.apply("fc1", Linear.of(256)).relu();   // parameters fc1.weight [784, 256], fc1.bias
      return h.apply("fc2", Linear.of(10));                    // [batch, 10], the output "output"
    });
    assertEquals("output: f32[batch, 10]", mlp.graph().outputs().get(0).toString());
    assertEquals("f32[784, 256]", mlp.graph().parameter("fc1.weight").orElseThrow().value().type().toString());
  }

  @Test
  void sequenceModel() {
    Model seq = Model.define("seq", m -> {
      Tensor<I64> tokens = m.input("tokens", I64, "batch", 32);
      Tensor<F32> h = tokens.apply("emb", Embedding.of(10_000, 64))
          .apply("lstm", Lstm.of(128).layers(2).bidirectional())                // [batch, 32, 256]
          .apply(Dropout.of(0.1));
      Tensor<F32> ctx = h.apply("attn", MultiHeadAttention.of(4).causal());
      m.output("logits", ctx.mean(false, 1).apply("head", Linear.of(5)));
    });
    assertEquals("f32[batch, 5]", seq.graph().outputs().get(0).type().toString());
    assertTrue(seq.graph().parameter("lstm.weight_ih_l1_reverse").isPresent());
    assertEquals("f32[768, 256]", seq.graph().parameter("attn.in_proj_weight").orElseThrow().value().type().toString());
  }
}
