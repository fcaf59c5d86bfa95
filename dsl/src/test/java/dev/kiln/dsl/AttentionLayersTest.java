package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.BOOL;
import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attention layers: output types, PyTorch's parameter names and shapes, and shape errors at the user's line. */
class AttentionLayersTest {
  private static Map<String, String> params(Model m) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Parameter p : m.graph().parameters()) out.put(p.name(), p.value().type().toString());
    return out;
  }

  @Test
  void encoderStackHasPyTorchNamesAndKeepsTheShape() {
    Model m = Model.build("enc", mb -> {
      Tensor<F32> x = mb.input("x", F32, "batch", 6, 16);
      Tensor<Bool> pad = mb.input("pad", BOOL, "batch", 6);
      return mb.transformerEncoder("encoder", mb.learnedPositions("pos", x, 10), 2, Transformer.heads(4).feedForward(32), pad);
    });
    Map<String, String> p = params(m);
    assertEquals("f32[10, 16]", p.get("pos.weight"));
    assertEquals("f32[48, 16]", p.get("encoder.layers.0.self_attn.in_proj_weight"));
    assertEquals("f32[48]", p.get("encoder.layers.1.self_attn.in_proj_bias"));
    assertEquals("f32[16, 16]", p.get("encoder.layers.1.self_attn.out_proj.weight"));
    assertEquals("f32[16, 32]", p.get("encoder.layers.0.linear1.weight"));
    assertEquals("f32[16]", p.get("encoder.layers.0.norm2.bias"));
    assertEquals(1 + 2 * 12, p.size());
    assertEquals("f32[batch, 6, 16]", m.graph().outputs().get(0).type().toString());
    assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opName().equals("LayerNormalization")));
    assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opName().equals("Dropout")), "PyTorch's default dropout 0.1 is on");
  }

  @Test
  void crossAttentionTakesKeysOfAnotherLength() {
    Model m = Model.build("cross", mb -> {
      Tensor<F32> q = mb.input("q", F32, "batch", 3, 8);
      Tensor<F32> kv = mb.input("kv", F32, "batch", 7, 8);
      return mb.multiHeadAttention("attn", q, kv, kv, 2, null, false, 0);
    });
    assertEquals("f32[batch, 3, 8]", m.graph().outputs().get(0).type().toString());
  }

  @Test
  void scaledDotProductAttentionWithSinusoidalPositions() {
    Model m = Model.build("sdpa", mb -> {
      Tensor<F32> x = mb.sinusoidalPositions(mb.embedding("emb", mb.input("ids", I64, "batch", 5), 11, 4));
      return ModelBuilder.scaledDotProductAttention(x, x, x, null, true);
    });
    assertEquals("f32[batch, 5, 4]", m.graph().outputs().get(0).type().toString());
  }

  @Test
  void headsThatDoNotDivideTheWidthFailAtThisLine() {
    int[] line = {-1};
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("bad", mb -> {
      Tensor<F32> x = mb.input("x", F32, "batch", 6, 10);
      line[0] = new Throwable().getStackTrace()[0].getLineNumber(); return mb.selfAttention("attn", x, 4, null, false);
    }));
    assertTrue(e.getMessage().contains("4 heads must divide the width 10"), e.getMessage());
    assertTrue(e.getMessage().contains("AttentionLayersTest.java:" + line[0] + ")"), e.getMessage());
  }

  @Test
  void mismatchedKeyWidthFailsAtThisLine() {
    int[] line = {-1};
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("bad", mb -> {
      Tensor<F32> q = mb.input("q", F32, 2, 3, 8);
      Tensor<F32> k = mb.input("k", F32, 2, 3, 6);
      line[0] = new Throwable().getStackTrace()[0].getLineNumber(); return ModelBuilder.scaledDotProductAttention(q, k, k, null, false);
    }));
    assertTrue(e.getMessage().contains("q and k with one static last dim"), e.getMessage());
    assertTrue(e.getMessage().contains("AttentionLayersTest.java:" + line[0] + ")"), e.getMessage());
  }
}
