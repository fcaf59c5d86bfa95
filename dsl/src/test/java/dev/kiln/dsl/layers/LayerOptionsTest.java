package dev.kiln.dsl.layers;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The layer classes' options: PyTorch's defaults, immutable withers, value equality, and mistakes reported at the
 * user's line (an option where it is built, an input where the layer is applied).
 */
class LayerOptionsTest {
  /** Runs {@code body}, which records its own line in {@code line[0]}, and checks the error names that line. */
  private static <E extends Throwable> E failsAtLine(Class<E> type, int[] line, Executable body) {
    E e = assertThrows(type, body);
    assertTrue(e.getMessage().contains("(LayerOptionsTest.java:" + line[0] + ")"), "expected line " + line[0] + " in: " + e.getMessage());
    return e;
  }

  private static int here() { return new Throwable().getStackTrace()[1].getLineNumber(); }

  @Test
  void defaultsArePyTorchs() {
    ConvLayer.Options c = Conv2d.of(8, 3).options();
    assertEquals(new ConvLayer.Options(8, List.of(3L), List.of(1L), List.of(1L), Padding.VALID, 1, List.of(0L), true,
        ConvLayer.DEFAULT_WEIGHT_INIT, ConvLayer.DEFAULT_BIAS_INIT), c);
    assertEquals("he_uniform", c.weightInit().describe());
    assertEquals(new PoolLayer.Options(List.of(2L), null, Padding.VALID, false, false), MaxPool2d.of(2).options());
    assertNull(AvgPool2d.of(3).options().stride(), "the stride defaults to the kernel");
    assertEquals(new Linear.Options(10, true, Linear.DEFAULT_WEIGHT_INIT, Linear.DEFAULT_BIAS_INIT), Linear.of(10).options());
    assertEquals("glorot_uniform", Linear.of(10).options().weightInit().describe());
    assertEquals(new BatchNorm.Options(1e-5, 0.1), BatchNorm.of().options());
    assertEquals(new LayerNorm.Options(List.of(), 1e-5), LayerNorm.of().options());
    assertEquals(new Dropout.Options(0.1, false), Dropout.of(0.1).options());
    assertEquals(new RecurrentLayer.Options(16, 1, RecurrentLayer.Direction.FORWARD, RecurrentLayer.Layout.BATCH_FIRST,
        RecurrentLayer.Output.SEQUENCE), Lstm.of(16).options());
    assertEquals(new MultiHeadAttention.Options(4, false, 0), MultiHeadAttention.of(4).options());
    assertEquals(new TransformerEncoderLayer.Options(4, 0, 0.1, false, false, false), TransformerEncoderLayer.of(4).options());
    assertEquals(0.25, PRelu.of().options().init());
    assertEquals("normal(0.0, 1.0)", Embedding.of(10, 4).options().init().describe());
  }

  @Test
  void withersReturnNewOptionsAndLeaveTheOriginal() {
    Conv2d base = Conv2d.of(8, 3);
    Conv2d strided = base.stride(2).padding(Padding.SAME).noBias();
    assertEquals(List.of(1L), base.options().stride());
    assertTrue(base.options().bias());
    assertEquals(List.of(2L), strided.options().stride());
    assertEquals(Padding.SAME, strided.options().padding());
    assertFalse(strided.options().bias());
    Lstm lstm = Lstm.of(8);
    Lstm bi = lstm.layers(2).bidirectional().sequenceFirst().finalState();
    assertEquals(RecurrentLayer.Direction.FORWARD, lstm.options().direction());
    assertEquals(new RecurrentLayer.Options(8, 2, RecurrentLayer.Direction.BIDIRECTIONAL, RecurrentLayer.Layout.SEQUENCE_FIRST,
        RecurrentLayer.Output.FINAL_STATE), bi.options());
    assertEquals(List.of(3L, 5L), ConvTranspose2d.of(4, 3).kernel(3, 5).outputPadding(1).options().kernel());
  }

  @Test
  void equalOptionsMakeEqualLayers() {
    assertEquals(Conv2d.of(8, 3).stride(2).padding(Padding.explicit(1)), Conv2d.of(8, 3).stride(2).padding(Padding.explicit(1)));
    assertEquals(Conv2d.of(8, 3).hashCode(), Conv2d.of(8, 3).hashCode());
    assertNotEquals(Conv2d.of(8, 3), Conv1d.of(8, 3), "the same options on another layer kind");
    assertNotEquals(MaxPool2d.of(2), AvgPool2d.of(2));
    assertEquals(TransformerEncoderLayer.of(2).gelu(), TransformerEncoderLayer.of(2).gelu(true));
    assertEquals(Embedding.of(5, 3), Embedding.of(5, 3));
    assertTrue(Conv2d.of(8, 3).toString().startsWith("Conv2d[out=8, kernel=[3], stride=[1]"), Conv2d.of(8, 3).toString());
    assertEquals("Lstm[hidden=4, layers=1, direction=FORWARD, layout=BATCH_FIRST, output=SEQUENCE]", Lstm.of(4).toString());
  }

  @Test
  void optionMistakesFailWhereTheOptionsAreBuilt() {
    int[] line = {-1};
    KilnException e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Conv2d.of(0, 3); });
    assertTrue(e.getMessage().startsWith("Conv2d: out channels must be >= 1, got 0"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Conv2d.of(8, 3).stride(2, 0); });
    assertTrue(e.getMessage().startsWith("Conv2d: stride must be >= 1, got [2, 0]"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); MaxPool2d.of(); });
    assertTrue(e.getMessage().startsWith("MaxPool2d: kernel needs at least one value"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Lstm.of(8).layers(0); });
    assertTrue(e.getMessage().startsWith("Lstm: layers must be >= 1, got 0"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Gru.of(0); });
    assertTrue(e.getMessage().startsWith("Gru: hidden must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Dropout.of(1.0); });
    assertTrue(e.getMessage().startsWith("Dropout: rate must be in [0, 1), got 1.0"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); MultiHeadAttention.of(0); });
    assertTrue(e.getMessage().startsWith("MultiHeadAttention: heads must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); TransformerEncoderLayer.of(2).feedForward(0); });
    assertTrue(e.getMessage().startsWith("TransformerEncoderLayer: feedForward must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); TransformerEncoder.of(0, TransformerEncoderLayer.of(2)); });
    assertTrue(e.getMessage().startsWith("TransformerEncoder: layers must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); GroupNorm.of(0); });
    assertTrue(e.getMessage().startsWith("GroupNorm: groups must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); BatchNorm.of().momentum(2); });
    assertTrue(e.getMessage().startsWith("BatchNorm: momentum must be in [0, 1]"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); Embedding.of(0, 4); });
    assertTrue(e.getMessage().startsWith("Embedding: vocab and dim must be >= 1"), e.getMessage());
    e = failsAtLine(KilnException.class, line, () -> { line[0] = here(); ConvTranspose2d.of(4, 3).outputPadding(-1); });
    assertTrue(e.getMessage().startsWith("ConvTranspose2d: outputPadding must be >= 0"), e.getMessage());
  }

  @Test
  void inputMistakesFailWhereTheLayerIsAppliedInItsBlock() {
    int[] line = {-1};
    ShapeException e = failsAtLine(ShapeException.class, line, () -> Model.define("bad", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 3, 9);
      m.block("enc", b -> { line[0] = here(); return x.apply("c1", Conv2d.of(8, 3)); });
    }));
    assertTrue(e.getMessage().startsWith("Conv: conv 'c1' needs input [N, C, 2 spatial axes] with static C"), e.getMessage());
    assertTrue(e.getMessage().contains("in block enc of model bad"), e.getMessage());
    e = failsAtLine(ShapeException.class, line, () -> Model.define("bad", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 3, 9, 9);
      line[0] = here(); m.output("y", x.apply("c1", Conv2d.of(8, 3).kernel(3, 3, 3)));
    }));
    assertTrue(e.getMessage().contains("kernel [3, 3, 3] must have 1 or 2 entries"), e.getMessage());
    e = failsAtLine(ShapeException.class, line, () -> Model.define("bad", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 6, 10);
      line[0] = here(); m.output("y", x.apply("attn", MultiHeadAttention.of(4)));
    }));
    assertTrue(e.getMessage().contains("4 heads must divide the width 10"), e.getMessage());
    e = failsAtLine(ShapeException.class, line, () -> Model.define("bad", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 6);
      line[0] = here(); m.output("y", x.apply("lstm", Lstm.of(4)));
    }));
    assertTrue(e.getMessage().startsWith("Lstm: layer 'lstm' needs a rank-3 input"), e.getMessage());
  }

  @Test
  void aLayerAppliesToTensorsOfItsOwnModelOnly() {
    Tensor<?>[] foreign = new Tensor<?>[1];
    Model.build("first", m -> {
      foreign[0] = m.input("x", F32, 2, 3);
      return foreign[0];
    });
    @SuppressWarnings("unchecked") Tensor<F32> x = (Tensor<F32>) foreign[0];
    KilnException e = assertThrows(KilnException.class, () -> Model.define("second", m -> m.apply("fc", Linear.of(2), x)));
    assertTrue(e.getMessage().contains("belongs to model first, not second"), e.getMessage());
  }

  @Test
  void oneLayerObjectAppliesUnderManyNames() {
    Linear fc = Linear.of(4);
    Model m = Model.build("twice", mb -> mb.input("x", F32, 2, 4).apply("a", fc).relu().apply("b", fc));
    assertEquals(List.of("a.weight", "a.bias", "b.weight", "b.bias"), m.graph().parameters().stream().map(p -> p.name()).toList());
  }

  @Test
  void defineTakesAVoidBodyAndNeedsAnOutput() {
    Model built = Model.build("m", mb -> {
      Tensor<F32> x = mb.input("x", F32, "batch", 3);
      mb.output("y", x.apply("fc", Linear.of(2)));
      return null;
    });
    Model defined = Model.define("m", mb -> {
      Tensor<F32> x = mb.input("x", F32, "batch", 3);
      mb.output("y", x.apply("fc", Linear.of(2)));
    });
    assertEquals(built.toText(), defined.toText());
    KilnException e = assertThrows(KilnException.class, () -> Model.define("empty", mb -> mb.input("x", F32, 3)));
    assertTrue(e.getMessage().contains("has no outputs"), e.getMessage());
  }
}
