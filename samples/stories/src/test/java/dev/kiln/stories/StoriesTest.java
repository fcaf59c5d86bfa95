package dev.kiln.stories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.spec.HostTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each story run briefly on real data (Fashion-MNIST; the seeded random-weight torchvision fixtures of
 * {@code samples/programs/src/test/resources/fixtures/models/make_fixtures.py}), so the samples cannot rot: every one
 * must train (the loss falls), export, and have ONNX Runtime agree with TensorFlow.
 */
class StoriesTest {
  /** The torchvision fixtures, relative to this module (Surefire runs in the module's folder). */
  static final Path FIXTURES = Path.of("../programs/src/test/resources/fixtures/models");
  static final Path DATA = FashionMnist.DEFAULT_DIR;

  @TempDir Path tmp;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

  private String printed() {
    String s = log.toString(StandardCharsets.UTF_8);
    System.out.print(s);
    return s;
  }

  private Path gunzip(String name) throws IOException {
    Path plain = tmp.resolve(name.substring(0, name.length() - 3));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(FIXTURES.resolve(name)))) {
      Files.copy(in, plain);
    }
    return plain;
  }

  @Test void kotlinCnnTrainsExportsAndScoresTheSameInOnnxRuntime() throws Exception {
    FashionCnnStory.Result r = FashionCnnStory.INSTANCE.run(DATA, 2000, 1, tmp.resolve("cnn.onnx"), out);
    printed();
    assertTrue(r.getTensorflowAccuracy() > 0.6, "the CNN learnt: " + r);
    assertEquals(r.getTensorflowAccuracy(), r.getOnnxRuntimeAccuracy(), 0.002, "both engines score the same weights");
    assertTrue(Files.size(tmp.resolve("cnn.onnx")) > 0);
  }

  @Test void resNetTransferFreezesTheBackboneTrainsTheNewHeadAndWritesATorchvisionStateDict() throws Exception {
    Path weights = gunzip("resnet18.pt.gz");
    Path tuned = tmp.resolve("tuned.pt");
    ResNetTransferStory.Result r = ResNetTransferStory.run(weights, DATA, 32, 256, 1, tmp.resolve("r18.onnx"), tuned, out);
    printed();
    assertEquals(2, r.trainable(), "only the new fc.weight and fc.bias train");
    assertTrue(r.lossAfter() < r.lossBefore(), "the head learnt: " + r);
    assertTrue(Files.size(tmp.resolve("r18.onnx")) > 0);
    // The written state_dict has torchvision's keys; the frozen backbone is bit-identical to the pretrained one.
    Map<String, HostTensor> before = TorchFile.read(weights).tensors(), after = TorchFile.read(tuned).tensors();
    assertEquals(before.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).sorted().toList(),
        after.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).sorted().toList());
    assertEquals(before.get("layer4.1.conv2.weight"), after.get("layer4.1.conv2.weight"));
    assertEquals(before.get("bn1.running_var"), after.get("bn1.running_var"));
    assertEquals(10, StateDict.of(after).tensor("fc.bias").size());
  }

  @Test void importedMobileNetIsCutGivenANewHeadTrainedAndExported() throws Exception {
    MobileNetFineTuneStory.Result r = MobileNetFineTuneStory.run(gunzip("mobilenet_v2.onnx.gz"), DATA, 256, 2, tmp.resolve("m.onnx"), out);
    printed();
    assertEquals("/Flatten_output_0", r.cutAt(), "cut where the classifier reads the pooled features");
    assertTrue(r.lossAfter() < r.lossBefore(), "the head learnt: " + r);
    assertTrue(Files.size(tmp.resolve("m.onnx")) > 0);
  }

  @Test void dataPipelineLogsChecksPointsAndRestoresTheBestEpoch() throws Exception {
    Path images = DataPipelineStory.writeSampleFolder(DATA, tmp.resolve("images"), 450);
    DataPipelineStory.Result r = DataPipelineStory.run(images, 4, tmp.resolve("run"), out);
    String s = printed();
    assertEquals(List.of("bag", "shirt", "sneaker"), r.classes());
    assertEquals(450 / 9 * 9, r.trainSize() + r.validationSize());
    assertTrue(Files.size(r.tensorBoardFile()) > 0 && Files.exists(r.bestCheckpoint()), s);
    List<String> csv = Files.readAllLines(r.csv());
    assertEquals(r.history().size() + 1, csv.size(), "a header and one row per epoch: " + csv);
    double bestVal = java.util.Arrays.stream(r.history().column("val_loss")).min().orElseThrow();
    assertEquals(bestVal, r.restoredValLoss(), 1e-4, "the restored checkpoint is the best epoch's");
  }
}
