package dev.kiln.samples;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.StateDict;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.interop.torch.Weights;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.models.ResNet18;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * PyTorch weights in a Kiln model, end to end: torchvision's ResNet-18 written in the DSL ({@link ResNet18}) loads
 * a {@code torch.save}d state dict (by default the seeded fixture {@code resnet18.pt.gz} of
 * {@code samples/programs/src/test/resources/fixtures/models/make_fixtures.py}, 10 classes), classifies PyTorch's reference
 * batch and compares with PyTorch's logits; then it is fine-tuned for a few steps on Fashion-MNIST (images resized
 * bilinearly to {@code size} x {@code size}, replicated to 3 channels and normalised with ImageNet's mean and std;
 * every layer trains, batch-norm statistics frozen),
 * exported to ONNX and checked in ONNX Runtime, and its weights are written back as a {@code .pt} state dict.
 */
public final class TorchResNetDemo {
  private TorchResNetDemo() {}

  /** The fixtures, relative to the repository root. */
  public static final Path FIXTURES = Path.of("samples/programs/src/test/resources/fixtures/models");
  /** ImageNet's per-channel mean and std, which torchvision's ResNet-18 expects. */
  static final double[] MEAN = {0.485, 0.456, 0.406}, STD = {0.229, 0.224, 0.225};

  /**
   * What to run: weights ({@code .pt}, {@code .pth} or {@code .safetensors}, optionally gzipped), the reference
   * {@code _io.safetensors} (null to skip), Fashion-MNIST, outputs (ONNX, and a {@code .pt} or null), the fine-tuning
   * image size, training/test subset sizes, epochs over the training subset, batch size and Adam learning rate.
   */
  public record Options(Path weights, Path reference, Path data, Path onnxOut, Path ptOut, int size, int trainSize,
                        int testSize, int epochs, int batch, double lr) {
    /** The fixture weights and reference, 512 training images at 32 x 32, 1 epoch of batch 32 (16 steps), lr 1e-3. */
    public static Options defaults(Path root, Path data, Path onnxOut, Path ptOut) {
      Path dir = root.resolve(FIXTURES);
      return new Options(dir.resolve("resnet18.pt.gz"), dir.resolve("resnet18_io.safetensors"), data, onnxOut, ptOut,
          32, 512, 500, 1, 32, 1e-3);
    }
  }

  /** What one run measured. */
  public record Result(long[] kilnClasses, long[] torchClasses, double maxLogitDiff, double accuracyBefore,
                       double lossBefore, double lossAfter, double accuracyAfter, double onnxAccuracy, double maxTfOrtDiff,
                       long steps) {}

  /** Runs the demo, printing what happens to {@code out}. */
  public static Result run(Options o, PrintStream out) throws IOException {
    StateDict weights = read(o.weights());
    long classes = weights.tensor("fc.bias").size();
    out.printf("read %s: %d tensors, %d classes%n", o.weights(), weights.tensors().size(), classes);

    long[] kiln = new long[0], torch = new long[0];
    double diff = Double.NaN;
    if (o.reference() != null) {
      Map<String, HostTensor> io = Safetensors.read(o.reference()).tensors();
      HostTensor x = io.get("input");
      Model ref = Weights.load(ResNet18.build(1, x.shape()[1], x.shape()[2], classes), weights);
      HostTensor logits;
      try (TfModel tf = TfModel.load(ref.evalGraph())) {
        logits = tf.run(Map.of("image", x)).get("logits");
      }
      kiln = argMax(logits);
      torch = argMax(io.get("output"));
      diff = maxAbsDiff(logits, io.get("output"));
      out.printf("reference batch %s on TensorFlow: classes %s, PyTorch %s, max |logit diff| %.2e%n",
          Arrays.toString(x.shape()), Arrays.toString(kiln), Arrays.toString(torch), diff);
    }

    FashionMnist fm = FashionMnist.load(o.data(), true);
    Dataset train = toRgb(fm.train().subset(range(o.trainSize())), o.size());
    Dataset test = toRgb(fm.test().subset(range(o.testSize())), o.size());
    // NOTE: fine-tuned with frozen batch-norm statistics (the eval form: BN normalises with its running mean and
    // variance; its scale and shift still train), as torchvision's detection models do with FrozenBatchNorm2d:
    // a few small batches would otherwise replace statistics estimated on far more data, and training and
    // evaluation would normalise differently.
    Model model = new Model(Weights.load(ResNet18.build(1, 3, o.size(), classes), weights).evalGraph());
    double before, after, onnxAcc, tfOrt, first, last;
    long steps;
    try (Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(o.lr()).seed(42).metrics(Metric.accuracy())
        .progress(false).build()) {
      Map<String, Double> e0 = t.evaluate(test, 100);
      before = e0.get("accuracy");
      first = e0.get("loss");
      out.printf("Fashion-MNIST at %dx%dx3, %d test images, before fine-tuning: loss %.4f, accuracy %.4f%n",
          o.size(), o.size(), test.size(), first, before);
      t.fit(train, null, o.epochs(), o.batch());
      steps = t.step();
      Map<String, Double> e1 = t.evaluate(test, 100);
      after = e1.get("accuracy");
      last = e1.get("loss");
      out.printf("fine-tuned every layer on %d images, %d steps of %d (Adam, lr %g): test loss %.4f, accuracy %.4f%n",
          train.size(), steps, o.batch(), o.lr(), last, after);
      Model tuned = t.model();
      OnnxExporter.write(tuned.graph(), o.onnxOut());
      HostTensor sample = test.subset(range(Math.min(100, test.size()))).features();
      HostTensor tfOut = t.predict(sample);
      try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(o.onnxOut())) {
        tfOrt = maxAbsDiff(tfOut, ort.run(Map.of("image", sample)).get("logits"));
        onnxAcc = accuracy(ort, test);
      }
      out.printf("exported %s: ONNX Runtime test accuracy %.4f, max |TF - ORT| %.2e over %d images%n",
          o.onnxOut(), onnxAcc, tfOrt, sample.shape()[0]);
      if (o.ptOut() != null) {
        Weights.savePt(tuned, o.ptOut());
        out.printf("wrote the fine-tuned weights to %s (torch.load + load_state_dict into torchvision's resnet18)%n", o.ptOut());
      }
    }
    return new Result(kiln, torch, diff, before, first, last, after, onnxAcc, tfOrt, steps);
  }

  /** A state dict from {@code .pt}/{@code .pth} or {@code .safetensors}, gunzipped first when the name ends in {@code .gz}. */
  public static StateDict read(Path file) throws IOException {
    String name = file.getFileName().toString();
    Path plain = file;
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
      plain = Files.createTempFile("kiln-weights-", "-" + name);
      plain.toFile().deleteOnExit();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try {
      return name.endsWith(".safetensors") ? StateDict.of(Safetensors.read(plain).tensors()) : TorchFile.read(plain);
    } finally {
      if (plain != file) Files.deleteIfExists(plain);
    }
  }

  /** [N, 1, 28, 28] in [0, 1] → [N, 3, size, size]: bilinear resize (align_corners=False), 3 copies, ImageNet-normalised. */
  static Dataset toRgb(Dataset d, int size) {
    HostTensor f = d.features();
    int n = (int) f.shape()[0], h = (int) f.shape()[2], w = (int) f.shape()[3];
    float[] src = f.toFloats();
    float[] dst = new float[n * 3 * size * size];
    double sy = (double) h / size, sx = (double) w / size;
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < size; y++) {
        double fy = Math.max(0, (y + 0.5) * sy - 0.5);
        int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
        double ay = fy - y0;
        for (int x = 0; x < size; x++) {
          double fx = Math.max(0, (x + 0.5) * sx - 0.5);
          int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
          double ax = fx - x0;
          int base = i * h * w;
          double v = (1 - ay) * ((1 - ax) * src[base + y0 * w + x0] + ax * src[base + y0 * w + x1])
              + ay * ((1 - ax) * src[base + y1 * w + x0] + ax * src[base + y1 * w + x1]);
          for (int c = 0; c < 3; c++) dst[((i * 3 + c) * size + y) * size + x] = (float) ((v - MEAN[c]) / STD[c]);
        }
      }
    }
    return new Dataset(HostTensor.ofFloats(dst, n, 3, size, size), d.labels());
  }

  private static double accuracy(OnnxRuntimeModel ort, Dataset test) {
    Metric acc = Metric.accuracy();
    acc.reset();
    for (var b : test.batches(100, false, 0)) acc.update(ort.run(Map.of("image", b.features())).get("logits"), b.labels());
    return acc.result();
  }

  static long[] argMax(HostTensor logits) {
    int rows = (int) logits.shape()[0], cols = (int) logits.shape()[1];
    long[] r = new long[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 1; j < cols; j++) if (logits.getDouble(i * cols + j) > logits.getDouble(i * cols + (int) r[i])) r[i] = j;
    }
    return r;
  }

  static double maxAbsDiff(HostTensor a, HostTensor b) {
    if (a.size() != b.size()) throw new IllegalArgumentException("sizes differ: " + a.size() + " vs " + b.size());
    double m = 0;
    for (int i = 0; i < a.size(); i++) m = Math.max(m, Math.abs(a.getDouble(i) - b.getDouble(i)));
    return m;
  }

  private static int[] range(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return idx;
  }

  /** {@code TorchResNetDemo [weights [reference]]}: the defaults, run from the repository root. */
  public static void main(String[] args) throws IOException {
    Options d = Options.defaults(Path.of(""), FashionMnist.DEFAULT_DIR, Path.of("resnet18_fashion.onnx"), Path.of("resnet18_fashion.pt"));
    Path w = args.length > 0 ? Path.of(args[0]) : d.weights();
    Path r = args.length > 1 ? Path.of(args[1]) : d.reference();
    run(new Options(w, r, d.data(), d.onnxOut(), d.ptOut(), d.size(), d.trainSize(), d.testSize(), d.epochs(), d.batch(), d.lr()), System.out);
  }
}
