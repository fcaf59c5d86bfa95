package dev.kiln.dsl.layers;

import static dev.kiln.dsl.DTypes.BOOL;
import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.F64;
import static dev.kiln.dsl.DTypes.I64;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Pool;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.Transformer;
import dev.kiln.dsl.init.Initializers;
import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.ir.Parameter;

/**
 * Models that use every layer through the fluent methods that predate the layer classes (only API that existed
 * before them, so this file also compiles against the old code). Their IR text and initial values were recorded as
 * goldens from the code before the layer classes; {@link LayerEquivalenceTest} checks that the fluent methods and the
 * layer classes still give exactly that.
 */
final class LegacyLayerModels {
  private LegacyLayerModels() {}

  /** The IR text, then one line per parameter with a hash of its initial value. */
  static String describe(Model m) {
    StringBuilder b = new StringBuilder(m.toText()).append("# initial values\n");
    for (Parameter p : m.graph().parameters()) {
      b.append(p.name()).append(' ').append(Integer.toHexString(p.initial().hashCode())).append('\n');
    }
    return b.toString();
  }

  /** Dense and convolution layers. */
  static Model convs() {
    return Model.build("convs", 7, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4, 9, 9);
      Tensor<F32> a = x.conv2d("c1", Conv.out(8).kernel(3, 5).stride(2).padding(Padding.SAME).groups(2).bias(false))
          .conv2d("c2", 6, 3)
          .convTranspose2d("up", Conv.out(4).kernel(4).stride(2).padding(Padding.explicit(1)).outputPadding(1))
          .separableConv2d("sep", Conv.out(5).kernel(3).padding(Padding.SAME).dilation(2));
      m.output("a", m.prelu("act", a, 0.1).flatten().linear("fc", 3));
      Tensor<F32> s = m.input("s", F32, "batch", 3, 12);
      m.output("b", s.conv1d("c1d", Conv.out(4).kernel(3).padding(Padding.explicit(1, 2)).weightInit(Initializers.heNormal()))
          .convTranspose1d("t1d", Conv.out(2).kernel(2).stride(2)));
      Tensor<F32> v = m.input("v", F32, 2, 2, 4, 4, 4);
      m.output("c", v.conv3d("c3d", Conv.out(3).kernel(2).biasInit(Initializers.constant(0.5))));
      m.output("d", m.linear("head", s, 7, false, Initializers.lecunNormal(), Initializers.zeros()));
      return null;
    });
  }

  /** Pooling, normalisation, dropout, maxout, PReLU and embeddings. */
  static Model poolsAndNorms() {
    return Model.build("pools_norms", 11, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4, 10, 10);
      Tensor<F32> h = x.batchNorm("bn").maxPool2d(Pool.kernel(3).stride(2).padding(Padding.explicit(1)).ceil(true))
          .avgPool2d(Pool.kernel(2).stride(1).padding(Padding.SAME).countIncludePad(true))
          .batchNorm("bn2", 1e-3, 0.01).groupNorm("gn", 2).instanceNorm("in").dropout(0.25).spatialDropout(0.5)
          .maxPool2d(2).avgPool2d(1).adaptiveAvgPool2d(3, 2).maxout(2);
      m.output("a", h.layerNorm("ln", -2, -1).layerNorm("ln_last"));
      Tensor<F32> s = m.input("s", F32, "batch", 2, 12);
      m.output("b", s.maxPool1d(Pool.kernel(3)).avgPool1d(Pool.kernel(2).countIncludePad(true)));
      Tensor<F32> v = m.input("v", F32, 1, 2, 6, 6, 6);
      m.output("c", v.maxPool3d(Pool.kernel(2)).avgPool3d(Pool.kernel(3)).globalAvgPool());
      Tensor<?> ids = m.input("ids", I64, "batch", 5);
      m.output("e", m.prelu("act", m.embedding("tok", ids, 11, 4)));
      m.output("f", m.embedding("tok64", ids, 3, 2, F64));
      return null;
    });
  }

  /** LSTM, GRU and RNN stacks in every direction, layout and output, with and without initial states. */
  @SuppressWarnings("deprecation")
  static Model recurrent() {
    return Model.build("recurrent", 3, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 5, 6);
      Tensor<F32> t = m.input("t", F32, 5, 2, 6);
      Tensor<F32> h0 = m.input("h0", F32, 4, 2, 3);
      Tensor<F32> c0 = m.input("c0", F32, 4, 2, 3);
      m.output("a", m.lstm("lstm", x, 3, 2, true, true, false));
      m.output("b", m.lstm("lstm_s", t, 3, 2, false, true, true, h0, c0));
      m.output("c", m.gru("gru", x, 4, 1, true, false, true));
      m.output("d", m.gru("gru_s", t, 3, 4, false, false, false, h0));
      m.output("e", m.rnn("rnn", x, 2, 3, true, true, true));
      m.output("f", m.rnn("rnn_s", t, 3, 2, false, true, false, h0));
      return null;
    });
  }

  /** Attention, transformer encoders and position encodings. */
  @SuppressWarnings("deprecation")
  static Model attention() {
    return Model.build("attention", 5, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 6, 8);
      Tensor<F32> kv = m.input("kv", F32, "batch", 4, 8);
      Tensor<Bool> pad = m.input("pad", BOOL, "batch", 6);
      Tensor<Bool> kvPad = m.input("kv_pad", BOOL, "batch", 4);
      Tensor<F32> h = m.transformerEncoder("enc", m.learnedPositions("pos", x, 10), 2,
          Transformer.heads(2).feedForward(16).dropout(0).normFirst(true).gelu(), pad);
      h = m.transformerEncoderLayer("post", m.sinusoidalPositions(h), Transformer.heads(4).causal(true), null);
      m.output("a", m.multiHeadAttention("cross", h, kv, kv, 2, kvPad, false, 0.1));
      m.output("b", m.selfAttention("self", h, 4, pad, true));
      m.output("c", ModelBuilder.scaledDotProductAttention(h, kv, kv, null, false));
      m.output("d", ModelBuilder.scaledDotProductAttention(h, h, h, pad.unsqueeze(1), true));
      return null;
    });
  }
}
