package dev.kiln.stories;

import dev.kiln.dsl.Model;
import dev.kiln.interop.torch.LoadReport;
import dev.kiln.interop.torch.LoadOptions;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.models.ResNet18;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.Transforms;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Story (b): transfer learning from a torchvision ResNet-18 {@code state_dict} ({@code torch.save(model.state_dict())}):
 * load it strictly into the zoo's {@link ResNet18} (torchvision's parameter names), freeze the backbone, replace the
 * classifier with a new one for Fashion-MNIST's 10 classes, fine-tune the head, export to ONNX checked against
 * TensorFlow, and write the tuned weights back as a {@code .pt} torchvision loads. The backbone is used in its
 * evaluation form, so batch norm keeps the pretrained running statistics (a few small batches would otherwise
 * replace them). kiln-models, kiln-interop, kiln-train, kiln-tensorflow, kiln-onnxruntime only.
 */
public final class ResNetTransferStory {
  private ResNetTransferStory() {}

  /** ImageNet's per-channel mean and std, which torchvision's ResNets expect. */
  static final double[] MEAN = {0.485, 0.456, 0.406}, STD = {0.229, 0.224, 0.225};

  /** What a run measured. */
  public record Result(int frozen, int trainable, double lossBefore, double lossAfter, double accuracy, double maxTfOrtDifference) {}

  /**
   * Fine-tunes the state_dict {@code weights} ({@code .pt}/{@code .pth}) on {@code trainSize} Fashion-MNIST images at
   * {@code size} x {@code size} for {@code epochs}; writes {@code onnx} and {@code tunedPt}.
   */
  public static Result run(Path weights, Path data, int size, int trainSize, int epochs, Path onnx, Path tunedPt,
                           PrintStream out) throws IOException {
    StateDict sd = TorchFile.read(weights);
    long pretrainedClasses = sd.tensor("fc.bias").size();
    Weights.Loaded loaded = Weights.load(ResNet18.build(1, 3, size, pretrainedClasses), sd, LoadOptions.defaults());
    LoadReport report = loaded.report();
    out.println("loaded " + weights + ": " + report);
    // Freeze the backbone by prefix, then a fresh 10-class fc (trainable) in place of the old one.
    Model frozen = Transfer.freeze(new Model(loaded.model().evalGraph()), "conv1", "bn1", "layer1", "layer2", "layer3", "layer4");
    Model model = Transfer.replaceHead(frozen, 10, 7);
    int trainable = (int) model.graph().parameters().stream().filter(p -> p.trainable()).count();
    int frozenCount = model.graph().parameters().size() - trainable;
    out.printf("%d parameters frozen, %d trainable (the new head fc.weight, fc.bias)%n", frozenCount, trainable);

    FashionMnist mnist = FashionMnist.load(data, true);
    var toImageNet = Transforms.resize(size, size).then(Transforms.greyToRgb()).then(Transforms.normalize(MEAN, STD));
    Dataset train = StoryData.once(mnist.train().subset(IntStream.range(0, trainSize).toArray()), toImageNet, "image");
    Dataset test = StoryData.once(mnist.test().subset(IntStream.range(0, 500).toArray()), toImageNet, "image");
    try (Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(3e-3).seed(42).metrics(Metric.accuracy())
        .progress(false).build()) {
      double before = t.evaluate(test, 250).get("loss");
      t.fit(train, null, epochs, 32);
      var after = t.evaluate(test, 250);
      out.printf("head fine-tuned, %d steps: test loss %.4f -> %.4f, accuracy %.4f%n", t.step(), before, after.get("loss"), after.get("accuracy"));
      double diff = t.exportAndVerify(onnx, test.subset(IntStream.range(0, 64).toArray()));
      out.printf("exported %s (ONNX Runtime agrees with TensorFlow: max difference %.2e)%n", onnx, diff);
      Weights.savePt(t.model(), tunedPt);
      out.println("wrote " + tunedPt + " (torchvision.models.resnet18(num_classes=10).load_state_dict(torch.load(...)))");
      return new Result(frozenCount, trainable, before, after.get("loss"), after.get("accuracy"), diff);
    }
  }

  /** {@code scripts/story resnet-transfer WEIGHTS.pt [data dir] [image size] [training images] [epochs]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: scripts/story resnet-transfer WEIGHTS.pt [data dir] [size] [training images] [epochs]");
      System.exit(2);
    }
    Path data = args.length > 1 ? Path.of(args[1]) : FashionMnist.DEFAULT_DIR;
    run(Path.of(args[0]), data, args.length > 2 ? Integer.parseInt(args[2]) : 32, args.length > 3 ? Integer.parseInt(args[3]) : 2000,
        args.length > 4 ? Integer.parseInt(args[4]) : 1, Path.of("resnet18_fashion.onnx"), Path.of("resnet18_fashion.pt"), System.out);
  }
}
