package dev.kiln.samples.cli;

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
  @Option(names = "--model", paramLabel = "NAME", description = "mlp, lenet, resnet, lstm or all (default: ${DEFAULT-VALUE}).")
  String model = "all";

  @Option(names = "--mlp-examples", description = "Examples in the MLP's epoch (default: ${DEFAULT-VALUE}).")
  int mlpExamples = 60000;

  @Option(names = "--lenet-examples", description = "Examples in LeNet-5's epoch (default: ${DEFAULT-VALUE}).")
  int lenetExamples = 20000;

  @Option(names = "--resnet-examples", description = "Examples in the small ResNet's epoch (default: ${DEFAULT-VALUE}).")
  int resnetExamples = 5120;

  @Option(names = "--lstm-examples", description = "Examples in the LSTM classifier's epoch (default: ${DEFAULT-VALUE}).")
  int lstmExamples = 2560;

  @Option(names = "--torch-script", paramLabel = "FILE", description = "The PyTorch side (default: bench_torch.py in the Kiln sources).")
  Path script;

  @Override public Integer call() throws Exception {
    List<String> models = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    if (model.equals("all") || model.equals("mlp")) {
      models.add("mlp");
      sizes.add(mlpExamples);
    }
    if (model.equals("all") || model.equals("lenet")) {
      models.add("lenet");
      sizes.add(lenetExamples);
    }
    if (model.equals("all") || model.equals("resnet")) {
      models.add("resnet");
      sizes.add(resnetExamples);
    }
    if (model.equals("all") || model.equals("lstm")) {
      models.add("lstm");
      sizes.add(lstmExamples);
    }
    if (models.isEmpty()) throw new IllegalArgumentException("--model must be mlp, lenet, resnet, lstm or all, got " + model);
    TrainBenchmark.run(models, sizes.stream().mapToInt(Integer::intValue).toArray(),
        script != null ? script : TrainBenchmark.defaultScript(), System.out);
    return 0;
  }
}
