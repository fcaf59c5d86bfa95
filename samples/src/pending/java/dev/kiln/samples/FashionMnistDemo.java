package dev.kiln.samples;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.EvalMetric;
import dev.kiln.runtime.train.EpochLog;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST end to end: an MLP 784-256-256-10 (ReLU) trained on TensorFlow-Java (Adam 1e-3, batch
 * 128, 5 epochs), exported to ONNX, and the ONNX file evaluated in ONNX Runtime on the test set; prints
 * the test accuracy on both back ends.
 */
public final class FashionMnistDemo {
  private FashionMnistDemo() {}

  /** Where Debian's {@code dataset-fashion-mnist} installs the data. */
  public static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");

  /** The demo's model. */
  public static Model mlp() {
    return Model.build("fashion_mlp", m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 784);
      var h = m.linear("fc1", x, 256).relu();
      h = m.linear("fc2", h, 256).relu();
      return m.linear("fc3", h, 10);
    });
  }

  /** Makes sure the data folder exists, installing Debian's package when running as root. */
  static Path ensureData(Path dir, PrintStream out) throws IOException, InterruptedException {
    if (Files.isDirectory(dir)) return dir;
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && dir.equals(DEFAULT_DATA)) {
      out.println("Fashion-MNIST not found in " + dir + "; installing it: apt-get install -y dataset-fashion-mnist");
      Process p = new ProcessBuilder("apt-get", "install", "-y", "dataset-fashion-mnist").inheritIO().start();
      if (p.waitFor() == 0 && Files.isDirectory(dir)) return dir;
    }
    throw new KilnException("Fashion-MNIST data not found in " + dir + ": install Debian's package (sudo apt-get install "
        + "dataset-fashion-mnist) or pass --data DIR with train-images-idx3-ubyte.gz and the other three files");
  }

  /** Runs the demo; returns {tf accuracy, onnx runtime accuracy}. */
  public static double[] run(Path dataDir, Path onnxOut, int epochs, PrintStream out) throws IOException, InterruptedException {
    FashionMnist data = FashionMnist.load(ensureData(dataDir, out));
    Dataset train = data.train();
    Dataset test = data.test();
    out.printf("Fashion-MNIST: %d train, %d test examples%n", train.size(), test.size());
    TrainingCallback progress = new TrainingCallback() {
      @Override public void onEpochEnd(Trainer t, EpochLog log) {
        out.printf("epoch %d: loss %.4f, val_accuracy %.4f (%.1f s)%n", log.epoch() + 1, log.loss(),
            log.get("val_accuracy"), log.seconds());
      }
    };
    try (Trainer trainer = Trainer.builder(mlp())
        .loss(Losses.sparseCategoricalCrossentropy(true), "output")  // TODO(lead): helper I's name for softmax CE on logits
        .optimizer(new StandInAdam())                               // TODO(lead): Optimizers.adam(1e-3)
        .learningRate(1e-3).seed(42).metrics(EvalMetric.accuracy()).callbacks(progress).build()) {
      trainer.fit(train, test, epochs, 128);
      double tfAcc = trainer.evaluate(test, 1000).get("accuracy");
      double diff = trainer.exportAndVerify(onnxOut, new Dataset(slice(test.features(), 256), slice(test.labels(), 256)));
      double ortAcc = onnxAccuracy(onnxOut, test);
      out.printf("test accuracy (TensorFlow):   %.4f%n", tfAcc);
      out.printf("test accuracy (ONNX Runtime): %.4f   (%s, max |TF - ORT| on 256 examples %.2e)%n", ortAcc, onnxOut, diff);
      return new double[] {tfAcc, ortAcc};
    }
  }

  private static HostTensor slice(HostTensor t, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return new Dataset(t, HostTensor.filled(dev.kiln.spec.DType.F32, new long[] {t.shape()[0]}, 0)).subset(idx).features();
  }

  /** Top-1 accuracy of the ONNX file in ONNX Runtime over {@code test}, in batches of 1000. */
  static double onnxAccuracy(Path onnx, Dataset test) {
    EvalMetric acc = EvalMetric.accuracy();
    acc.reset();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      for (var b : test.batches(1000, false, 0)) acc.update(m.run(Map.of("x", b.features())).get("output"), b.labels());
    }
    return acc.result();
  }

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : DEFAULT_DATA;
    run(dir, Path.of("fashion_mlp.onnx"), 5, System.out);
  }
}
