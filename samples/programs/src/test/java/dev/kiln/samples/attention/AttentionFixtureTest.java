package dev.kiln.samples.attention;

import static dev.kiln.dsl.DTypes.BOOL;
import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.Transformer;
import dev.kiln.dsl.layers.MultiHeadAttention;
import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.Weights;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kiln's attention layers against PyTorch ({@code fixtures/attention/make_fixtures.py}, torch 1.13):
 * nn.MultiheadAttention with a key padding mask and with a causal mask, nn.TransformerEncoderLayer post-norm
 * (ReLU) and pre-norm (GELU), batch-first. PyTorch's state dict binds through {@link Weights}; output, loss and
 * every parameter gradient (in PyTorch's layouts) on TensorFlow; the output in ONNX Runtime at opsets 17
 * (native LayerNormalization) and 13 (its decomposition).
 */
class AttentionFixtureTest {
  private static final TorchFixtures FIXTURES = new TorchFixtures("attention");
  private static final long N = 3, L = 5, E = 8;

  @Test
  void multiHeadAttentionWithPaddingMaskMatchesPyTorch() {
    check("mha_padding", "attn.", true, (m, x, mask) -> MultiHeadAttention.of(2).apply("attn", x, x, x, mask));
  }

  @Test
  void multiHeadAttentionWithCausalMaskMatchesPyTorch() {
    check("mha_causal", "attn.", false, (m, x, mask) -> m.apply("attn", MultiHeadAttention.of(2).causal(), x));
  }

  @Test
  void postNormEncoderLayerMatchesPyTorch() {
    check("encoder_post", "enc.", true,
        (m, x, mask) -> m.transformerEncoderLayer("enc", x, Transformer.heads(2).feedForward(16).dropout(0), mask));
  }

  @Test
  void preNormGeluEncoderLayerMatchesPyTorch() {
    check("encoder_pre_gelu", "enc.", true,
        (m, x, mask) -> m.transformerEncoderLayer("enc", x, Transformer.heads(2).feedForward(16).dropout(0).normFirst(true).gelu(), mask));
  }

  /** Builds a layer from the model builder, the input x and the mask (null when the case has none). */
  @FunctionalInterface
  interface Body {
    Tensor<F32> apply(ModelBuilder m, Tensor<F32> x, Tensor<Bool> mask);
  }

  private static void check(String name, String prefix, boolean masked, Body body) {
    HostTensor r = FIXTURES.load(name, "r");
    Model built = Model.build(name, m -> {
      Tensor<F32> x = m.input("x", F32, N, L, E);
      Tensor<Bool> mask = masked ? m.input("mask", BOOL, N, L) : null;
      Tensor<F32> y = m.output("y", body.apply(m, x, mask));
      return y.reshape(1, -1).matmul(m.constant(r.reshape(r.size(), 1))).sum(false);
    });
    Map<String, HostTensor> state = new LinkedHashMap<>();
    for (Parameter p : built.graph().parameters()) state.put(p.name(), FIXTURES.load(name, p.name().substring(prefix.length())));
    Model model = Weights.load(built, StateDict.of(state));
    Graph g = model.graph();

    Map<String, HostTensor> feed = new HashMap<>();
    feed.put("x", FIXTURES.load(name, "x"));
    if (masked) {
      HostTensor mf = FIXTURES.load(name, "mask");
      boolean[] b = new boolean[(int) mf.size()];
      for (int i = 0; i < b.length; i++) b[i] = mf.getDouble(i) != 0;
      feed.put("mask", HostTensor.ofBooleans(b, N, L));
    }

    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    List<Value> wrt = g.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    Map<String, HostTensor> out;
    try (TfModel m = TfModel.load(Autodiff.gradients(g, loss, wrt, true))) {
      out = m.run(feed);
    }
    TorchFixtures.compare(name + " y", FIXTURES.load(name, "y"), out.get("y"));
    TorchFixtures.compare(name + " loss", FIXTURES.load(name, "loss"), out.get("output"));
    // The gradients in PyTorch's layouts: the model with each parameter replaced by its gradient, read back.
    List<Parameter> asGrads = new ArrayList<>();
    for (Parameter p : g.parameters()) asGrads.add(p.withInitial(out.get("grad/" + p.name())));
    Map<String, HostTensor> torchGrads = Weights.toPyTorch(new Model(g.with(asGrads, g.nodes(), g.outputs())));
    assertEquals(state.size(), torchGrads.size(), name + ": gradient count");
    torchGrads.forEach((p, grad) -> TorchFixtures.compare(name + " d loss / d " + p, FIXTURES.load(name, "grad_" + p.substring(prefix.length())), grad));

    for (int opset : new int[] {17, 13}) {
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g, ExportOptions.defaults().opset(opset)).toByteArray())) {
        TorchFixtures.compare(name + " y in ONNX Runtime (opset " + opset + ")", FIXTURES.load(name, "y"), m.run(feed).get("y"));
      }
    }
  }
}
