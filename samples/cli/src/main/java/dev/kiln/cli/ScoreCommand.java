package dev.kiln.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kiln score MODEL.onnx --spark MASTER --input X.npy|X.parquet --output Y.npy|Y.parquet}: batch scoring of any
 * ONNX model on Spark (the Spark work is in {@link SparkScore}, loaded only when this command runs).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Score an ONNX model over many rows on Spark: the model broadcast once, one ONNX Runtime session per "
        + "executor, rows batched per partition.",
        ".npy in, .npy out: the rows of `kiln run`, in the same order. .parquet in, .parquet out: the input's columns "
        + "plus one column per model output."})
final class ScoreCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model (one f32 input).")
  Path model;

  @Option(names = "--spark", paramLabel = "MASTER", defaultValue = "local[2]",
      description = "local[N] (embedded) or spark://host:port (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "X.npy|X.parquet", description = "The rows to score.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "Y.npy|Y.parquet",
      description = "Where to write the scores (.npy: one file per output, Y.npy for a one-output model, Y.<output>.npy otherwise).")
  Path output;

  @Option(names = "--features", paramLabel = "COLUMN", defaultValue = "features",
      description = "Parquet input: the array<float> column of each row's features (default: ${DEFAULT-VALUE}).")
  String features;

  @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "1024", description = "Rows per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(names = "--partitions", paramLabel = "N", description = ".npy input: partitions (default: Spark's default parallelism).")
  Integer partitions;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    return SparkScore.run(this, spec.commandLine().getOut());
  }
}
