package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kotlin samples through the CLI: {@code kiln export kotlin-*} and {@code kiln train kotlin-*}. */
class KotlinSamplesTest {
  @TempDir Path tmp;

  private static HostTensor random(long seed, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    long n = 1;
    for (long d : shape) n *= d;
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
    return HostTensor.ofFloats(v, shape);
  }

  private Path export(String sample, String file) {
    Path p = tmp.resolve(file);
    CliRun r = CliRun.of("export", sample, "--output=" + p, "--seed", "7");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("wrote " + p + ": sample " + sample), r.out());
    return p;
  }

  private static float[] run(Path onnx, HostTensor image) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      HostTensor y = m.run(Map.of("image", image)).get("logits");
      return y.toFloats();
    }
  }

  @Test void theKotlinMlpExportsTheSameNetworkAsTheJavaMlp() {
    // Same layer names and seed, so the same initial weights: both files compute the same logits.
    HostTensor x = random(1, 3, 784);
    float[] kotlin = run(export("kotlin-mlp", "k.onnx"), x);
    float[] java = run(export("mlp", "j.onnx"), x);
    assertEquals(30, kotlin.length);
    assertArrayEquals(java, kotlin, 1e-6f);
  }

  @Test void theKotlinCnnExportsAndRunsOnImages() {
    float[] y = run(export("kotlin-cnn", "c.onnx"), random(2, 2, 1, 28, 28));
    assertEquals(20, y.length);
    for (float v : y) assertTrue(Float.isFinite(v));
  }

  private static double accuracy(String out, String backEnd) {
    Matcher m = Pattern.compile("test accuracy \\(" + backEnd + "\\): +([0-9.]+)").matcher(out);
    assertTrue(m.find(), out);
    return Double.parseDouble(m.group(1));
  }

  private CliRun train(String sample, String... extra) {
    assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_DIR);
    String[] args = new String[4 + extra.length];
    args[0] = "train";
    args[1] = sample;
    args[2] = "--output";
    args[3] = tmp.resolve(sample + ".onnx").toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    CliRun r = CliRun.of(args);
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.isRegularFile(tmp.resolve(sample + ".onnx")), r.out());
    return r;
  }

  @Test void trainTrainsTheKotlinMlpAndTheOnnxFileAgreesWithTensorFlow() {
    CliRun r = train("kotlin-mlp", "--epochs", "1", "--limit", "4000", "--test-limit", "1000");
    double tf = accuracy(r.out(), "TensorFlow");
    double ort = accuracy(r.out(), "ONNX Runtime");
    // About 0.75 after 32 Adam steps; chance is 0.1.
    assertTrue(tf > 0.6, r.out());
    // The same weights on both back ends: at most a near-tie may flip between them.
    assertEquals(tf, ort, 0.002, r.out());
    assertTrue(r.out().contains("Fashion-MNIST: 4000 train, 1000 test examples; model kotlin_mlp"), r.out());
  }

  @Test void trainTrainsTheKotlinCnnOnImages() {
    CliRun r = train("kotlin-cnn", "--epochs", "1", "--limit", "2000", "--test-limit", "500", "--batch-size", "64");
    assertTrue(r.out().contains("(image: f32[batch, 1, 28, 28])"), r.out());
    assertTrue(accuracy(r.out(), "TensorFlow") > 0.5, r.out());
    assertEquals(accuracy(r.out(), "TensorFlow"), accuracy(r.out(), "ONNX Runtime"), 0.004, r.out());
  }

  @Test void trainNamesTheKnownSamplesWhenGivenAnUnknownOne() {
    CliRun r = CliRun.of("train", "nope");
    assertEquals(KilnCli.EXIT_USER_ERROR, r.exit());
    assertTrue(r.err().contains("no sample model 'nope'") && r.err().contains("kotlin-cnn"), r.err());
  }
}
