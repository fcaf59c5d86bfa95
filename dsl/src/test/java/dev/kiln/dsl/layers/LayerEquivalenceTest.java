package dev.kiln.dsl.layers;

import static dev.kiln.dsl.DTypes.BOOL;
import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.F64;
import static dev.kiln.dsl.DTypes.I64;
import static dev.kiln.dsl.layers.LegacyLayerModels.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.harness.Goldens;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The layer classes build exactly what the fluent methods built before them: the same IR text (names, ops,
 * attributes, types, initializer provenance) and the same initial values. The goldens in
 * {@code golden/layers/} were recorded from the code before the layer classes existed (by {@link LegacyLayerModels},
 * which uses only the API of that time); here both the fluent methods (now delegates) and the layer classes must
 * reproduce them.
 */
class LayerEquivalenceTest {
  private static final Path DIR = Path.of("src/test/resources/golden/layers");

  private static void check(String golden, Supplier<Model> legacy, Supplier<Model> layers) {
    Goldens.check(DIR.resolve(golden), describe(legacy.get()));
    assertEquals(describe(legacy.get()), describe(layers.get()), "the layer classes build what the fluent methods build");
  }

  @Test
  void convolutionsAndDense() { check("convs.txt", LegacyLayerModels::convs, LayerEquivalenceTest::convs); }

  @Test
  void poolingNormalisationDropoutEmbedding() { check("pools_norms.txt", LegacyLayerModels::poolsAndNorms, LayerEquivalenceTest::poolsAndNorms); }

  @Test
  void recurrentStacks() { check("recurrent.txt", LegacyLayerModels::recurrent, LayerEquivalenceTest::recurrent); }

  @Test
  void attentionAndTransformers() { check("attention.txt", LegacyLayerModels::attention, LayerEquivalenceTest::attention); }

  static Model convs() {
    return Model.define("convs", 7, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4, 9, 9);
      Tensor<F32> a = x.apply("c1", Conv2d.of(8, 3).kernel(3, 5).stride(2).padding(Padding.SAME).groups(2).noBias())
          .apply("c2", Conv2d.of(6, 3))
          .apply("up", ConvTranspose2d.of(4, 4).stride(2).padding(Padding.explicit(1)).outputPadding(1))
          .apply("sep", SeparableConv2d.of(5, 3).padding(Padding.SAME).dilation(2));
      m.output("a", m.apply("act", PRelu.of().init(0.1), a).flatten().apply("fc", Linear.of(3)));
      Tensor<F32> s = m.input("s", F32, "batch", 3, 12);
      m.output("b", s.apply("c1d", Conv1d.of(4, 3).padding(Padding.explicit(1, 2)).weightInit(Initializers.heNormal()))
          .apply("t1d", ConvTranspose1d.of(2, 2).stride(2)));
      Tensor<F32> v = m.input("v", F32, 2, 2, 4, 4, 4);
      m.output("c", v.apply("c3d", Conv3d.of(3, 2).biasInit(Initializers.constant(0.5))));
      m.output("d", m.apply("head", Linear.of(7).noBias().weightInit(Initializers.lecunNormal()), s));
    });
  }

  static Model poolsAndNorms() {
    return Model.define("pools_norms", 11, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4, 10, 10);
      Tensor<F32> h = x.apply("bn", BatchNorm.of()).apply(MaxPool2d.of(3).stride(2).padding(Padding.explicit(1)).ceil())
          .apply(AvgPool2d.of(2).stride(1).padding(Padding.SAME).countIncludePad(true))
          .apply("bn2", BatchNorm.of().epsilon(1e-3).momentum(0.01)).apply("gn", GroupNorm.of(2)).apply("in", InstanceNorm.of())
          .apply(Dropout.of(0.25)).apply(Dropout.of(0.5).spatial())
          .apply(MaxPool2d.of(2)).apply(AvgPool2d.of(1)).apply(AdaptiveAvgPool2d.of(3, 2)).apply(Maxout.of(2));
      m.output("a", h.apply("ln", LayerNorm.of(-2, -1)).apply("ln_last", LayerNorm.of()));
      Tensor<F32> s = m.input("s", F32, "batch", 2, 12);
      m.output("b", s.apply(MaxPool1d.of(3)).apply(AvgPool1d.of(2).countIncludePad(true)));
      Tensor<F32> v = m.input("v", F32, 1, 2, 6, 6, 6);
      m.output("c", v.apply(MaxPool3d.of(2)).apply(AvgPool3d.of(3)).globalAvgPool());
      Tensor<?> ids = m.input("ids", I64, "batch", 5);
      m.output("e", ids.apply("tok", Embedding.of(11, 4)).apply("act", PRelu.of()));
      m.output("f", m.apply("tok64", Embedding.of(3, 2).dtype(F64), ids));
    });
  }

  static Model recurrent() {
    return Model.define("recurrent", 3, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 5, 6);
      Tensor<F32> t = m.input("t", F32, 5, 2, 6);
      Tensor<F32> h0 = m.input("h0", F32, 4, 2, 3);
      Tensor<F32> c0 = m.input("c0", F32, 4, 2, 3);
      m.output("a", x.apply("lstm", Lstm.of(3).layers(2).bidirectional().finalState()));
      m.output("b", Lstm.of(3).layers(2).bidirectional().sequenceFirst().apply("lstm_s", t, h0, c0));
      m.output("c", m.apply("gru", Gru.of(4), x));
      m.output("d", Gru.of(3).layers(4).layout(RecurrentLayer.Layout.SEQUENCE_FIRST).output(RecurrentLayer.Output.FINAL_STATE)
          .apply("gru_s", t, h0));
      m.output("e", x.apply("rnn", Rnn.of(2).layers(3).direction(RecurrentLayer.Direction.BIDIRECTIONAL)));
      m.output("f", Rnn.of(3).layers(2).bidirectional().sequenceFirst().finalState().apply("rnn_s", t, h0));
    });
  }

  static Model attention() {
    return Model.define("attention", 5, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 6, 8);
      Tensor<F32> kv = m.input("kv", F32, "batch", 4, 8);
      Tensor<Bool> pad = m.input("pad", BOOL, "batch", 6);
      Tensor<Bool> kvPad = m.input("kv_pad", BOOL, "batch", 4);
      TransformerEncoderLayer preNorm = TransformerEncoderLayer.of(2).feedForward(16).dropout(0).normFirst().gelu();
      Tensor<F32> h = TransformerEncoder.of(2, preNorm).apply("enc", x.apply("pos", LearnedPositions.of(10)), pad);
      h = h.apply(SinusoidalPositions.of()).apply("post", TransformerEncoderLayer.of(4).causal());
      m.output("a", MultiHeadAttention.of(2).dropout(0.1).apply("cross", h, kv, kv, kvPad));
      m.output("b", MultiHeadAttention.of(4).causal().apply("self", h, h, h, pad));
      m.output("c", ScaledDotProductAttention.of().apply(h, kv, kv));
      m.output("d", ScaledDotProductAttention.of().causal().apply(h, h, h, pad.unsqueeze(1)));
    });
  }
}
