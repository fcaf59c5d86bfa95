package dev.kiln.cli;

import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.TorchResNetDemo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln resnet-demo}: PyTorch ResNet-18 weights in the DSL model, checked, fine-tuned, exported. */
@Command(name = "resnet-demo", mixinStandardHelpOptions = true,
    description = "Load a torchvision ResNet-18 state dict (.pt/.pth/.safetensors, optionally .gz) into ResNet-18 written "
        + "in the Kiln DSL, classify PyTorch's reference batch and compare, fine-tune a few steps on Fashion-MNIST "
        + "(resized, 3 channels), export to ONNX and check it in ONNX Runtime, and write the weights back as .pt.")
final class ResNetDemoCommand implements Callable<Integer> {
  @Option(names = "--weights", paramLabel = "FILE", description = "State dict (default: the fixture ${DEFAULT-VALUE}).")
  Path weights = TorchResNetDemo.FIXTURES.resolve("resnet18.pt.gz");

  @Option(names = "--reference", paramLabel = "FILE", description = "PyTorch's input/output safetensors (default: ${DEFAULT-VALUE}); 'none' to skip.")
  String reference = TorchResNetDemo.FIXTURES.resolve("resnet18_io.safetensors").toString();

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "ONNX output (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("resnet18_fashion.onnx");

  @Option(names = "--save-pt", paramLabel = "FILE", description = "Where to write the fine-tuned state dict (default: ${DEFAULT-VALUE}).")
  Path savePt = Path.of("resnet18_fashion.pt");

  @Option(names = "--size", description = "Image side for fine-tuning (default: ${DEFAULT-VALUE}).")
  int size = 32;

  @Option(names = "--train", description = "Training images (default: ${DEFAULT-VALUE}).")
  int train = 512;

  @Option(names = "--test", description = "Test images (default: ${DEFAULT-VALUE}).")
  int test = 500;

  @Option(names = "--epochs", description = "Epochs over the training images (default: ${DEFAULT-VALUE}).")
  int epochs = 1;

  @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = 32;

  @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 1e-3;

  @Override public Integer call() throws Exception {
    Path ref = reference.equals("none") ? null : Path.of(reference);
    TorchResNetDemo.run(new TorchResNetDemo.Options(weights, ref, data, output, savePt, size, train, test, epochs, batch, lr), System.out);
    return 0;
  }
}
