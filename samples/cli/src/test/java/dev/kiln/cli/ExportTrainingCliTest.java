package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.kiln.runtime.onnx.OrtTrainingFile;
import dev.kiln.runtime.train.TrainingExport;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kiln export-training}: each sample's training step is written, loads in ONNX Runtime, and trains (the loss of
 * a repeated batch falls); a file whose metadata disagrees with its graph is refused naming the names. The MLP's files
 * also go to {@code target/onnx-training/mlp}, where {@code scripts/test} trains them with stock Python and Node.js
 * ONNX Runtime ({@code samples/python/train_onnx.py}, {@code samples/node/train.mjs}).
 */
class ExportTrainingCliTest {
  /** Where the MLP's training files are left for the stock-runtime examples of scripts/test. */
  static final Path FOR_EXAMPLES = Path.of("target/onnx-training/mlp");

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "kotlin-cnn", "resnet", "transformer"})
  void everySampleExportsATrainableStep(String sample, @TempDir Path dir) {
    Path out = sample.equals("mlp") ? FOR_EXAMPLES : dir.resolve(sample);
    // The settings the stock-runtime examples train one Fashion-MNIST epoch with (>= 0.85 test accuracy).
    CliRun r = CliRun.of("export-training", sample, "--optimizer", "adam", "--lr", "3e-3", "--cosine-steps", "469",
        "--batch-size", "128", "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("train_step.onnx"), r.out());
    assertTrue(Files.isRegularFile(out.resolve(TrainingExport.MODEL_FILE)));
    try (OrtTrainingFile f = OrtTrainingFile.load(out.resolve(TrainingExport.TRAIN_FILE))) {
      Map<String, HostTensor> batch = batch(sample);
      assertEquals(batch.keySet(), new java.util.HashSet<>(f.dataInputs()));
      double first = f.step(batch);
      double later = first;
      for (int i = 0; i < 4; i++) later = f.step(batch);
      assertTrue(later < first, sample + ": the loss of a repeated batch falls: " + first + " -> " + later);
      assertEquals(5L, f.state().get("train.step_count").getLong(0));
    }
  }

  /** Four examples shaped for the sample's inputs, with labels. */
  static Map<String, HostTensor> batch(String sample) {
    Random r = new Random(5);
    Map<String, HostTensor> m = new HashMap<>();
    long[] labels = new long[4];
    for (int i = 0; i < 4; i++) labels[i] = r.nextInt(10);
    switch (sample) {
      case "mlp" -> m.put("image", floats(r, 4, 784));
      case "transformer" -> {
        long[] t = new long[32];
        for (int i = 0; i < 32; i++) t[i] = r.nextInt(10);
        m.put("tokens", HostTensor.ofLongs(t, 4, 8));
        long[] rev = new long[32];
        for (int i = 0; i < 4; i++) for (int k = 0; k < 8; k++) rev[i * 8 + k] = t[i * 8 + 7 - k];
        m.put("labels", HostTensor.ofLongs(rev, 4, 8));
        return m;
      }
      default -> m.put("image", floats(r, 4, 1, 28, 28));
    }
    m.put("labels", HostTensor.ofLongs(labels, 4));
    return m;
  }

  static HostTensor floats(Random r, long... shape) {
    long n = 1;
    for (long d : shape) n *= d;
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    return HostTensor.ofFloats(v, shape);
  }

  @Test void aFileWhoseMetadataDisagreesIsRefusedWithTheNames(@TempDir Path dir) throws Exception {
    assertEquals(0, CliRun.of("export-training", "mlp", "--optimizer", "sgd", "--output", dir.toString()).exit());
    Path f = dir.resolve(TrainingExport.TRAIN_FILE);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(f));
    ModelProto.Builder b = m.toBuilder().clearMetadataProps();
    for (StringStringEntryProto p : m.getMetadataPropsList()) {
      String v = p.getKey().equals(TrainingExport.META_STATE) ? p.getValue().replace("fc1.weight.next", "fc1.weight.after") : p.getValue();
      b.addMetadataProps(p.toBuilder().setValue(v));
    }
    Path bad = dir.resolve("bad.onnx");
    Files.write(bad, b.build().toByteArray());
    ModelFileException e = assertThrows(ModelFileException.class, () -> OrtTrainingFile.load(bad));
    assertTrue(e.getMessage().contains("outputs the graph lacks [fc1.weight.after]"), e.getMessage());
  }

  @Test void anUnknownOptimizerIsAOneLineErrorWithExit2(@TempDir Path dir) {
    CliRun r = CliRun.of("export-training", "mlp", "--optimizer", "lion", "--output", dir.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown optimizer 'lion'"), r.err());
    assertTrue(!Files.exists(dir.resolve(TrainingExport.TRAIN_FILE)));
  }
}
