package dev.kiln.stories;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.transfer.CutPoints.CutPoint;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.Transforms;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Story (c): fine-tuning an imported ONNX MobileNetV2 (a {@code torch.onnx.export} of torchvision's
 * {@code mobilenet_v2}): import it (its weights frozen), list the cut points nearest the output, cut at the pooled
 * 1280 features, put a new 10-class head written in the DSL on top, train the head on Fashion-MNIST, export to ONNX
 * checked against TensorFlow. kiln-interop, kiln-dsl, kiln-train, kiln-tensorflow, kiln-onnxruntime only.
 */
public final class MobileNetFineTuneStory {
  private MobileNetFineTuneStory() {}

  /** ImageNet's per-channel mean and std. */
  static final double[] MEAN = {0.485, 0.456, 0.406}, STD = {0.229, 0.224, 0.225};

  /** What a run measured. */
  public record Result(String cutAt, double lossBefore, double lossAfter, double accuracy, double maxTfOrtDifference) {}

  /**
   * The cut point: the value nearest the output that is [batch, features] with features other than the old class
   * count, i.e. what the classifier reads (MobileNetV2's pooled, flattened 1280), not the classifier's own steps.
   */
  static CutPoint pooledFeatures(Graph base, PrintStream out) {
    List<CutPoint> candidates = Transfer.candidates(base);
    out.println("cut points nearest the output:");
    candidates.stream().limit(5).forEach(c -> out.println("  " + c));
    var classes = base.outputs().get(0).type().shape().dim(1);
    return candidates.stream()
        .filter(c -> c.type().rank() == 2 && c.type().shape().dim(0).isSymbolic() && !c.type().shape().dim(1).equals(classes))
        .findFirst()
        .orElseThrow(() -> new KilnException("no [batch, features] value to cut at; candidates: " + candidates));
  }

  /** Imports {@code onnxIn}, trains a new head on {@code trainSize} images for {@code epochs}; writes {@code onnxOut}. */
  public static Result run(Path onnxIn, Path data, int trainSize, int epochs, Path onnxOut, PrintStream out) {
    Graph base = OnnxImporter.importFile(onnxIn, ImportOptions.defaults());
    long size = base.inputs().get(0).type().shape().dim(2).size();
    out.printf("imported %s: %d nodes, %d parameters, input %s%n", onnxIn, base.nodes().size(), base.parameterCount(),
        base.inputs().get(0).type());
    CutPoint cut = pooledFeatures(base, out);
    Model model = Transfer.from(base).cutAt(cut.name()).seed(7)
        .head("mobilenet_fashion", F32, (m, features) -> features.linear("head", 10));
    String input = model.graph().inputs().get(0).name();
    String output = model.graph().outputs().get(0).name();

    FashionMnist mnist = FashionMnist.load(data, true);
    var toImageNet = Transforms.resize((int) size, (int) size).then(Transforms.greyToRgb()).then(Transforms.normalize(MEAN, STD));
    Dataset train = StoryData.once(mnist.train().subset(IntStream.range(0, trainSize).toArray()), toImageNet, input);
    Dataset test = StoryData.once(mnist.test().subset(IntStream.range(0, 300).toArray()), toImageNet, input);
    try (Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), output)
        // NOTE: a small rate: the head sums 1280 features of size ~1, so Adam's per-weight steps of size lr move each
        // logit by about lr x 1280 x |feature|; at 3e-3 the first steps overshoot and the loss rises.
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(1e-4).seed(42).metrics(Metric.accuracy())
        .progress(false).build()) {
      double before = t.evaluate(test, 150).get("loss");
      t.fit(train, null, epochs, 32);
      var after = t.evaluate(test, 150);
      out.printf("new head trained at %s, %d steps: test loss %.4f -> %.4f, accuracy %.4f%n", cut.name(), t.step(), before,
          after.get("loss"), after.get("accuracy"));
      double diff = t.exportAndVerify(onnxOut, test.subset(IntStream.range(0, 32).toArray()));
      out.printf("exported %s (ONNX Runtime agrees with TensorFlow: max difference %.2e)%n", onnxOut, diff);
      return new Result(cut.name(), before, after.get("loss"), after.get("accuracy"), diff);
    }
  }

  /** {@code scripts/story mobilenet-finetune MODEL.onnx [data dir] [training images] [epochs]}. */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: scripts/story mobilenet-finetune MODEL.onnx [data dir] [training images] [epochs]");
      System.exit(2);
    }
    Path data = args.length > 1 ? Path.of(args[1]) : FashionMnist.DEFAULT_DIR;
    run(Path.of(args[0]), data, args.length > 2 ? Integer.parseInt(args[2]) : 1000, args.length > 3 ? Integer.parseInt(args[3]) : 1,
        Path.of("mobilenet_fashion.onnx"), System.out);
  }
}
