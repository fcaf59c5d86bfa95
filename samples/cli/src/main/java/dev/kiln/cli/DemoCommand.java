package dev.kiln.cli;

import dev.kiln.runtime.train.Backends;
import dev.kiln.samples.FashionMnistDemo;
import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kiln demo}: trains a Fashion-MNIST classifier, exports it and checks it in ONNX Runtime. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train a Fashion-MNIST classifier on TensorFlow-Java (Adam 1e-3, batch 128), export it to ONNX and "
        + "evaluate it in ONNX Runtime; prints both back ends' test accuracy.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME", description = "mlp (784-256-256-10) or lenet (LeNet-5) (default: ${DEFAULT-VALUE}).")
  String model = "mlp";

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnistDemo.DEFAULT_DATA;

  @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Where to write the ONNX model (default: fashion_<model>.onnx).")
  Path output;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 5;

  @Option(names = "--seed", description = "Seed of the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--no-progress", description = "Hide the progress bar.")
  boolean noProgress;

  @Mixin BackendOption backend = new BackendOption();

  @Mixin DeviceOption device = new DeviceOption();

  @Override public Integer call() throws Exception {
    backend.apply();
    device.apply(backend);
    // NOTE: the back end's native library loads on a background thread while the demo reads Fashion-MNIST and
    // builds the model (issue 22's start-up); a back end that cannot be found is reported by the trainer later.
    try {
      Backends.find().preload();
    } catch (KilnException e) {
      // the trainer reports it with its own context
    }
    Path out = output != null ? output : Path.of("fashion_" + model + ".onnx");
    FashionMnistDemo.run(new FashionMnistDemo.Options(model, epochs, data, out, seed, 0, !noProgress), System.out);
    return 0;
  }
}
