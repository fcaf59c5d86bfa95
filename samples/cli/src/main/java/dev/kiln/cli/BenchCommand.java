package dev.kiln.cli;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.bench.BenchModels;
import dev.kiln.samples.bench.InferenceBenchmark;
import dev.kiln.samples.bench.LegacyEpochBench;
import dev.kiln.samples.bench.StepProfile;
import dev.kiln.samples.bench.TrainBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiln bench}: training throughput of Kiln against PyTorch and a hand-written TF-Java step (see {@link TrainBenchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark training on Fashion-MNIST (MLP, LeNet-5, small ResNet, LSTM classifier; softmax cross-entropy, "
        + "Adam, batch 128): Kiln on TensorFlow-Java and on ONNX Runtime, the same step hand-written in TF-Java, and PyTorch "
        + "(/usr/bin/python3 with torch), each run a fresh process, the sides alternating; prints medians and ranges over the "
        + "pairs. Run it on a quiet machine.")
final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", split = ",",
      description = "Models to run, comma-separated: mlp, lenet, resnet, lstm, or all (default: ${DEFAULT-VALUE}).")
  List<String> models = List.of("all");

  @Option(names = "--sides", paramLabel = "SIDE", split = ",",
      description = "Sides to run, comma-separated: kiln-tf, kiln-ort, tf-java, torch (default: all).")
  List<String> sides = TrainBenchmark.SIDES;

  @Option(names = "--pairs", paramLabel = "N", description = "Paired runs per model (default: ${DEFAULT-VALUE}).")
  int pairs = 5;

  @Option(names = "--examples", paramLabel = "N", description = "Fashion-MNIST examples per epoch for every model (default: each model's own).")
  Integer examples;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run for every model (default: each model's own).")
  Integer epochs;

  @Option(names = "--torch-threads", paramLabel = "OPENBLAS,TORCH",
      description = "PyTorch's thread setting, e.g. 1,2 (OPENBLAS_NUM_THREADS, torch threads; 'default' leaves OpenBLAS "
          + "alone), or 'probe': the fastest of five settings, each run over the model's full examples and epochs "
          + "(the default: PyTorch is compared at its best setting for each model).")
  String torchThreads;

  @Option(names = "--profile", description = "Print where one training step's time goes, per op, instead: Kiln on TensorFlow-Java "
      + "(TF's FULL_TRACE, summed per kernel type, plus the step's host phases) and PyTorch (torch.profiler), 20 steps "
      + "after 10 warm-up steps of each --model.")
  boolean profile;

  @Option(names = "--torch-script", paramLabel = "FILE", description = "The PyTorch side (default: bench_torch.py in the Kiln sources).")
  Path script;

  @Option(names = "--torch-blas", paramLabel = "DIR", description = "A folder put first on PyTorch's LD_LIBRARY_PATH, "
      + "holding OpenBLAS's libblas.so.3, for a machine whose torch would otherwise run on the reference netlib BLAS "
      + "(the benchmark warns when it does).")
  Path torchBlas;

  @Option(names = "--data", paramLabel = "DIR", description = "The Fashion-MNIST folder (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = "--inference", description = "Benchmark inference instead: ONNX Runtime on Kiln's export against torch.onnx's "
      + "export of the same weights (MLP and LeNet-5 of the demo; batch 1 and 128; 1 and 2 threads).")
  boolean inference;

  @Option(names = "--keep", paramLabel = "DIR", description = "With --inference: the folder for both exports and ONNX Runtime's "
      + "optimized graphs (default: a new temporary folder).")
  Path keep;

  @Option(names = "--legacy", description = "Before-issue-22 protocol for scripts/bench-ab only: Kiln on TensorFlow-Java, "
      + "synthetic data, one JVM, fastest of 3 epochs.")
  boolean legacy;

  @Override public Integer call() throws Exception {
    List<String> names = models.contains("all") ? BenchModels.names() : models;
    for (String m : names) {
      if (!BenchModels.names().contains(m)) {
        throw new ParameterException(spec.commandLine(), "--model must be among " + BenchModels.names() + " or all, got " + m);
      }
    }
    if (inference) {
      List<String> infer = models.contains("all") ? InferenceBenchmark.MODELS : names;
      for (String m : infer) {
        if (!InferenceBenchmark.MODELS.contains(m)) throw new ParameterException(spec.commandLine(), "--inference runs " + InferenceBenchmark.MODELS + ", not " + m);
      }
      InferenceBenchmark.run(infer, pairs, InferenceBenchmark.defaultScript(),
          keep != null ? keep : java.nio.file.Files.createTempDirectory("kiln-infer"), System.out);
      return 0;
    }
    if (legacy) {
      for (String m : names) LegacyEpochBench.run(m, examples != null ? examples : BenchModels.model(m).defaultExamples(), System.out);
      return 0;
    }
    for (String s : sides) {
      if (!TrainBenchmark.SIDES.contains(s)) throw new ParameterException(spec.commandLine(), "--sides must be among " + TrainBenchmark.SIDES + ", got " + s);
    }
    if (pairs < 1) throw new ParameterException(spec.commandLine(), "--pairs must be at least 1, got " + pairs);
    String[] torch = null;
    // NOTE: probing is the default: a fixed setting favours one model over another (at 1 torch thread PyTorch's
    // ResNet ran at 0.55x of its 2-thread speed and Kiln looked 1.7x faster instead of 1.2x).
    boolean probe = torchThreads == null || "probe".equals(torchThreads);
    if (torchThreads != null && !probe) {
      String[] f = torchThreads.split(",");
      if (f.length != 2 || !f[1].matches("[1-9][0-9]*") || !(f[0].equals("default") || f[0].matches("[1-9][0-9]*"))) {
        throw new ParameterException(spec.commandLine(), "--torch-threads must be OPENBLAS,TORCH such as 1,2 or default,1, or probe, got " + torchThreads);
      }
      torch = new String[] {f[0].equals("default") ? "" : f[0], f[1]};
    }
    Path torchScript = script != null ? script : TrainBenchmark.defaultScript();
    if (profile) {
      for (String m : names) {
        StepProfile.run(m, torchScript, data, torch != null ? torch : TrainBenchmark.DEFAULT_TORCH, torchBlas, System.out);
      }
      return 0;
    }
    TrainBenchmark.run(new TrainBenchmark.Options(names, sides, pairs, examples, epochs, torchScript, data, torch, torchBlas, probe),
        System.out);
    return 0;
  }
}
