package dev.kiln.cli;

import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.spark.SparkScorer;
import dev.kiln.runtime.spark.SparkSessions;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What {@link ScoreCommand} runs: reads the rows, scores them with {@link SparkScorer}, writes the scores. */
final class SparkScore {
  private SparkScore() {}

  static int run(ScoreCommand c, PrintWriter out) {
    OnnxFile.read(c.model);  // one clear message for a truncated or non-ONNX file
    boolean npyIn = c.input.toString().endsWith(".npy");
    boolean npyOut = c.output.toString().endsWith(".npy");
    if (!npyIn && !c.input.toString().endsWith(".parquet")) throw new KilnException(c.input + ": --input must be a .npy file or a .parquet folder/file");
    if (!npyOut && !c.output.toString().endsWith(".parquet")) throw new KilnException(c.output + ": --output must end in .npy or .parquet");
    if (npyIn != npyOut) throw new KilnException("--input and --output must both be .npy or both .parquet");
    if (!Files.exists(c.input)) throw new KilnException(c.input + ": no such file");
    if (!npyOut && Files.exists(c.output)) throw new KilnException(c.output + " already exists; scoring does not overwrite Parquet output");
    byte[] model;
    try {
      model = Files.readAllBytes(c.model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + c.model, e);
    }
    SparkSession spark = SparkSessions.session(c.master);
    try {
      JavaSparkContext sc = SparkSessions.context(spark);
      long t0 = System.nanoTime();
      long rows;
      if (npyIn) {
        HostTensor x = Npy.read(c.input);
        int parts = c.partitions != null ? c.partitions : sc.defaultParallelism();
        Map<String, HostTensor> y = SparkScorer.scoreArray(sc, model, x, parts, c.batchRows);
        rows = x.shape()[0];
        String stem = c.output.toString().substring(0, c.output.toString().length() - ".npy".length());
        for (Map.Entry<String, HostTensor> e : y.entrySet()) {
          Path file = y.size() == 1 ? c.output : Path.of(stem + "." + OutputFiles.stem(e.getKey()) + ".npy");
          Npy.write(file, e.getValue());
          out.println(e.getKey() + ": " + e.getValue().dtype() + Arrays.toString(e.getValue().shape()) + " -> " + file);
        }
      } else {
        Dataset<Row> frame = spark.read().parquet(c.input.toString());
        Dataset<Row> scored = SparkScorer.score(spark, model, frame, c.features, c.batchRows);
        try {
          scored.write().parquet(c.output.toString());
        } catch (Exception e) {  // Spark's SparkException is a checked exception thrown unchecked from Scala
          throw dev.kiln.runtime.spark.SparkErrors.unwrap(e);
        }
        rows = spark.read().parquet(c.output.toString()).count();
        out.println(rows + " rows with columns " + Arrays.toString(scored.schema().fieldNames()) + " -> " + c.output);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      out.printf("scored %d rows in %.2f s (%.0f rows/s) on Spark %s%n", rows, s, rows / s, c.master);
      out.flush();
      return 0;
    } finally {
      spark.stop();
    }
  }
}
