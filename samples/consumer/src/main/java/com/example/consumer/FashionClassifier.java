package com.example.consumer;

import dev.kiln.dsl.Model;
import dev.kiln.models.Mlp;
import dev.kiln.models.Standardize;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What a user's program looks like: the zoo's MLP trained on part of Fashion-MNIST with the TensorFlow back end,
 * exported to ONNX, and the file scored in ONNX Runtime. Uses Kiln's public API only.
 */
public final class FashionClassifier {
  private FashionClassifier() {}

  /** Accuracy on the test set in TensorFlow and in ONNX Runtime after training on {@code trainSize} images. */
  public record Scores(double tensorflow, double onnxRuntime) {}

  public static Scores trainAndExport(Path data, int trainSize, Path onnx) throws IOException {
    FashionMnist mnist = FashionMnist.load(data, false);
    Dataset train = mnist.train().subset(Arrays.copyOf(Dataset.permutation(mnist.train().size(), 7), trainSize));
    Dataset test = mnist.test();
    Model model = Mlp.build(7, Standardize.of(train.features()));
    try (Trainer trainer = Trainer.builder(model)
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(1e-3)
        .metrics(Metric.accuracy())
        .progress(false).build()) {
      trainer.fit(train, null, 2, 64);
      double tf = trainer.evaluate(test, 1000).get("accuracy");
      // Written only if ONNX Runtime agrees with TensorFlow on a test batch.
      trainer.exportAndVerify(onnx, test.subset(java.util.stream.IntStream.range(0, 64).toArray()));
      Metric accuracy = Metric.accuracy();
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
        for (var b : test.batches(1000, false, 0)) {
          accuracy.update(m.run(Map.of("image", b.features())).get("logits"), b.labels());
        }
      }
      return new Scores(tf, accuracy.result());
    }
  }

  /** {@code FashionClassifier [data dir] [training images] [output .onnx]}; fails when training or export went wrong. */
  public static void main(String[] args) throws IOException {
    Path data = args.length > 0 ? Path.of(args[0]) : FashionMnist.DEFAULT_DIR;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
    Path out = args.length > 2 ? Path.of(args[2]) : Path.of("fashion.onnx");
    Scores s = trainAndExport(data, n, out);
    System.out.printf("test accuracy after 2 epochs on %d images: TensorFlow %.4f, ONNX Runtime %.4f (%s)%n",
        n, s.tensorflow(), s.onnxRuntime(), out);
    // 2 epochs on 3,000 images reach about 0.80 (chance: 0.10); both engines score the same weights.
    if (s.tensorflow() < 0.7) throw new IllegalStateException("the model did not train: accuracy " + s.tensorflow());
    if (Math.abs(s.tensorflow() - s.onnxRuntime()) > 0.002) {
      throw new IllegalStateException("ONNX Runtime and TensorFlow disagree: " + s);
    }
  }
}
