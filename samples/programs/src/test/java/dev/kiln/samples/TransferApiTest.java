package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.DTypes;
import dev.kiln.dsl.Model;
import dev.kiln.interop.transfer.CutPoints;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.models.MlpBatchNorm;
import dev.kiln.models.ResNet18;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 20's transfer-learning story on the zoo's own (training-form) models: replace the head, freeze by name, train. */
class TransferApiTest {
  static Map<String, Parameter> params(Graph g) {
    return g.parameters().stream().collect(Collectors.toMap(Parameter::name, Function.identity()));
  }

  @Test
  void replaceHeadKeepsEveryOtherNameAndTheOutputName() {
    Model resnet = ResNet18.build(1, 3, 32, 1000);
    Model ten = Transfer.replaceHead(resnet, 10);
    Map<String, Parameter> before = params(resnet.graph());
    Map<String, Parameter> after = params(ten.graph());
    assertEquals(before.keySet(), after.keySet(), "a torchvision state_dict still binds by name");
    assertEquals(List.of(512L, 10L), after.get("fc.weight").value().type().shape().dims().stream().map(d -> d.size()).toList());
    assertEquals(List.of("logits"), ten.graph().outputs().stream().filter(v -> !v.name().startsWith("state_update/"))
        .map(v -> v.name()).toList());
    // The body's weights are carried over untouched; running statistics stay state, never trainable.
    assertArrayEquals(before.get("layer4.1.conv2.weight").initial().toFloats(), after.get("layer4.1.conv2.weight").initial().toFloats());
    assertFalse(after.get("bn1.running_mean").trainable());
    assertTrue(after.get("fc.weight").trainable() && after.get("layer1.0.conv1.weight").trainable());
  }

  @Test
  void freezeAndUnfreezeByPrefixWithDidYouMean() {
    Model m = Transfer.freeze(ResNet18.build(1, 3, 32, 10), "conv1", "bn1", "layer1", "layer2");
    Map<String, Parameter> p = params(m.graph());
    assertFalse(p.get("layer1.0.conv1.weight").trainable());
    assertFalse(p.get("bn1.weight").trainable());
    assertTrue(p.get("layer3.0.conv1.weight").trainable());
    Model again = Transfer.unfreeze(m, "layer2.1");
    assertTrue(params(again.graph()).get("layer2.1.conv2.weight").trainable());
    assertFalse(params(again.graph()).get("layer2.0.conv2.weight").trainable());
    assertFalse(params(Transfer.unfreeze(again).graph()).get("layer1.0.bn1.running_var").trainable(), "state is never trained");
    KilnException e = assertThrows(KilnException.class, () -> Transfer.freeze(m, "layr4"));
    assertTrue(e.getMessage().contains("'layr4'") && e.getMessage().contains("layer4"), e.getMessage());
  }

  @Test
  void candidatesStartAtTheOutputAndAWrongCutSuggestsNames() {
    Graph g = MlpBatchNorm.build(3, 8, 16, 4).graph();
    List<CutPoints.CutPoint> c = Transfer.candidates(g);
    assertEquals("logits", c.get(0).name());
    assertEquals(0, c.get(0).fromOutput());
    for (int i = 1; i < c.size(); i++) assertTrue(c.get(i - 1).fromOutput() <= c.get(i).fromOutput());
    String near = c.get(2).name();
    KilnException e = assertThrows(KilnException.class, () -> Transfer.from(g).cutAt(near + "x").head("h", (mb, f) -> f));
    assertTrue(e.getMessage().contains("did you mean one of [" + near), e.getMessage());
  }

  @Test
  void aTrainingFormBaseTrainsWithItsBatchNormAndExports() throws Exception {
    Model base = MlpBatchNorm.build(3, 8, 16, 4);
    String cut = Transfer.candidates(base.graph()).stream().filter(p -> p.op().equals("Relu")).findFirst().orElseThrow().name();
    Model m = Transfer.from(base.graph()).cutAt(cut).head("mlp_bn_3", DTypes.F32, (mb, f) -> f.linear("head", 3));
    Random r = new Random(5);
    float[] x = new float[64 * 8];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 3 + 1;
    int[] y = new int[64];
    for (int i = 0; i < y.length; i++) y[i] = x[i * 8] > 1 ? 1 : x[i * 8 + 1] > 1 ? 2 : 0;
    Dataset d = new Dataset(HostTensor.ofFloats(x, 64, 8), HostTensor.ofInts(y, 64));
    try (Trainer t = Trainer.builder(m).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.sgd())
        .learningRate(0.05).seed(2).progress(false).build()) {
      float[] meanBefore = m.graph().parameter("bn.running_mean").orElseThrow().initial().toFloats();
      float[] fc1Before = m.graph().parameter("fc1.weight").orElseThrow().initial().toFloats();
      t.fit(d, null, 2, 16);
      assertNotEquals(meanBefore[0], t.variables().get("bn.running_mean").toFloats()[0], "the running mean follows the data");
      assertArrayEquals(fc1Before, t.variables().get("fc1.weight").toFloats(), "the base stays frozen");
      assertTrue(t.exportAndVerify(java.nio.file.Files.createTempDirectory("kiln-transfer").resolve("m.onnx"), d) < 1e-4);
    }
  }
}
