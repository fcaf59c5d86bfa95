package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: {@code kiln train --spark} and {@code kiln score} in an embedded local[2] Spark. */
class SparkCliTest {
  @TempDir Path tmp;

  @Test void trainOnSparkPrintsTheUsualLinesAndScoreGivesWhatRunGives() throws Exception {
    Path onnx = tmp.resolve("mlp.onnx");
    CliRun t = CliRun.of("train", "mlp", "--spark", "local[2]", "--workers", "2", "--epochs", "1", "--limit", "2048",
        "--test-limit", "512", "--checkpoint", tmp.resolve("run.ckpt").toString(), "-o", onnx.toString());
    assertEquals(0, t.exit(), t.err() + t.out());
    assertTrue(t.out().contains("2 workers, global batch 128 (64 a worker)"), t.out());
    assertTrue(t.out().contains("16 steps") && t.out().contains("(1 attempt)"), t.out());
    Matcher tf = Pattern.compile("test accuracy \\(TensorFlow\\):\\s+([0-9.]+)").matcher(t.out());
    Matcher ort = Pattern.compile("test accuracy \\(ONNX Runtime\\): ([0-9.]+)").matcher(t.out());
    assertTrue(tf.find() && ort.find(), t.out());
    assertTrue(Double.parseDouble(tf.group(1)) > 0.6, "trained on 2048 examples: " + tf.group(1));
    assertEquals(tf.group(1), ort.group(1), "the exported file agrees");
    assertTrue(Files.isRegularFile(tmp.resolve("run.ckpt")));

    SplittableRandom rng = new SplittableRandom(5);
    float[] pixels = new float[301 * 784];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    Path x = tmp.resolve("x.npy");
    Npy.write(x, HostTensor.ofFloats(pixels, 301, 784));
    CliRun run = CliRun.of("run", onnx.toString(), "--input", "image=" + x, "--output", tmp.resolve("run").toString());
    assertEquals(0, run.exit(), run.err());
    CliRun score = CliRun.of("score", onnx.toString(), "--spark", "local[2]", "--input", x.toString(), "--output",
        tmp.resolve("y.npy").toString(), "--batch-rows", "64", "--partitions", "3");
    assertEquals(0, score.exit(), score.err());
    float[] want = Npy.read(tmp.resolve("run").resolve("logits.npy")).toFloats();
    HostTensor got = Npy.read(tmp.resolve("y.npy"));
    assertEquals(301, got.shape()[0]);
    float[] g = got.toFloats();
    for (int i = 0; i < want.length; i++) assertEquals(want[i], g[i], 1e-5f * (1 + Math.abs(want[i])), "value " + i);
  }

  @Test void scoreAppendsAParquetColumnPerOutputAndNamesABadRow() throws Exception {
    Path onnx = tmp.resolve("mlp.onnx");
    assertEquals(0, CliRun.of("export", "mlp", "-o", onnx.toString()).exit());
    Path in = tmp.resolve("x.parquet");
    Path bad = tmp.resolve("bad.parquet");
    org.apache.spark.sql.SparkSession spark = dev.kiln.runtime.spark.SparkSessions.session("local[2]");
    try {
      java.util.List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        java.util.List<Float> f = new java.util.ArrayList<>();
        for (int k = 0; k < 784; k++) f.add((i + k) % 7 / 7f);
        rows.add(org.apache.spark.sql.RowFactory.create((long) i, f));
      }
      org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType().add("id", "long")
          .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType));
      spark.createDataFrame(rows, schema).write().parquet(in.toString());
      spark.createDataFrame(java.util.List.of(org.apache.spark.sql.RowFactory.create(1L, java.util.List.of(1f, 2f))), schema)
          .write().parquet(bad.toString());
    } finally {
      spark.stop();
    }
    CliRun r = CliRun.of("score", onnx.toString(), "--input", in.toString(), "--output", tmp.resolve("y.parquet").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("50 rows with columns [id, features, logits]"), r.out());
    CliRun b = CliRun.of("score", onnx.toString(), "--input", bad.toString(), "--output", tmp.resolve("z.parquet").toString());
    assertEquals(2, b.exit(), b.err());
    assertTrue(b.err().contains("row features have 2 values; model input 'image' takes 784"), b.err());
  }

  @Test void scoreRejectsMismatchedFilesWithExitCode2() throws Exception {
    Path model = tmp.resolve("none.onnx");
    Files.write(model, new byte[] {1, 2, 3});
    CliRun r = CliRun.of("score", model.toString(), "--input", "x.npy", "--output", "y.parquet");
    assertEquals(2, r.exit(), r.err());
  }
}
