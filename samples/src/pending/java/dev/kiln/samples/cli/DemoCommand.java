package dev.kiln.samples.cli;

import dev.kiln.samples.FashionMnistDemo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln demo}: trains the Fashion-MNIST MLP, exports it and checks it in ONNX Runtime. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train an MLP on Fashion-MNIST with TensorFlow, export it to ONNX and evaluate it in ONNX Runtime.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnistDemo.DEFAULT_DATA;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the ONNX model (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("fashion_mlp.onnx");

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 5;

  @Override public Integer call() throws Exception {
    FashionMnistDemo.run(data, out, epochs, System.out);
    return 0;
  }
}
