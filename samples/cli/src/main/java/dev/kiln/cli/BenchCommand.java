package dev.kiln.cli;

import dev.kiln.samples.bench.TrainBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln bench}: training throughput of Kiln on TensorFlow-Java against PyTorch (see {@link TrainBenchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark training (MLP, LeNet-5, small ResNet, LSTM classifier; softmax cross-entropy, Adam, batch 128) on TensorFlow-Java "
        + "against PyTorch (/usr/bin/python3 with torch) under several thread settings. Run it on a quiet machine.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME", description = "A model of the benchmark (mlp, lenet, ...) or all (default: ${DEFAULT-VALUE}).")
  String model = "all";

  @Option(names = "--mlp-examples", description = "Examples in the MLP's epoch (default: ${DEFAULT-VALUE}).")
  int mlpExamples = 60000;

  @Option(names = "--lenet-examples", description = "Examples in LeNet-5's epoch (default: ${DEFAULT-VALUE}).")
  int lenetExamples = 20000;

  @Option(names = "--torch-script", paramLabel = "FILE", description = "The PyTorch side (default: bench_torch.py in the Kiln sources).")
  Path script;

  @Option(names = "--examples", paramLabel = "N", description = "Examples per epoch for every model other than "
      + "the MLP and LeNet-5 (default: each model's own).")
  Integer examples;

  @Override public Integer call() throws Exception {
    List<String> models = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (TrainBenchmark.BenchModel m : TrainBenchmark.MODELS) {
      if (!model.equals("all") && !model.equals(m.name())) continue;
      models.add(m.name());
      sizes.add(switch (m.name()) {
        case "mlp" -> mlpExamples;
        case "lenet" -> lenetExamples;
        default -> examples != null ? examples : m.defaultExamples();
      });
    }
    if (models.isEmpty()) {
      List<String> names = TrainBenchmark.MODELS.stream().map(TrainBenchmark.BenchModel::name).toList();
      throw new IllegalArgumentException("--model must be one of " + names + " or all, got " + model);
    }
    TrainBenchmark.run(models, sizes.stream().mapToInt(Integer::intValue).toArray(),
        script != null ? script : TrainBenchmark.defaultScript(), System.out);
    return 0;
  }
}
