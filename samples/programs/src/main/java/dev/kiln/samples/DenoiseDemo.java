package dev.kiln.samples;

import dev.kiln.runtime.data.Augment;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.models.UNet;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Denoising Fashion-MNIST with the {@link UNet}: each training batch gets fresh Gaussian noise of standard
 * deviation {@value #NOISE} added to its images (not clipped), the target is the clean image, the loss the
 * mean squared error (Adam lr {@value #LR}, batch {@value #BATCH}). The test set is noised once with a fixed
 * seed; the baseline is the noisy input's own MSE against the clean image (about NOISE²). The trained model
 * is exported to ONNX and its test MSE measured again in ONNX Runtime.
 */
public final class DenoiseDemo {
  private DenoiseDemo() {}

  /** Standard deviation of the added noise (pixels are in [0, 1]). */
  public static final double NOISE = 0.3;
  /** Examples per step. */
  public static final int BATCH = 64;
  /** Adam's learning rate. */
  public static final double LR = 2e-3;
  /** Epochs of the full recipe. */
  public static final int EPOCHS = 1;

  /** The settings; {@code trainLimit}/{@code testLimit} 0 mean the whole split. */
  public record Options(int epochs, Path data, Path output, long seed, int trainLimit, int testLimit, long width,
      boolean progress) {
    /** The full recipe's settings. */
    public static Options defaults(Path data, Path output) {
      return new Options(EPOCHS, data, output, 42, 0, 0, UNet.WIDTH, true);
    }
  }

  /** What a run measured: the baseline (noisy input) MSE and the model's test MSE on both back ends. */
  public record Result(History history, double baselineMse, double tfMse, double ortMse, double maxAbsDiff, double seconds) {}

  /** Trains, evaluates, exports and checks in ONNX Runtime; prints its report to {@code out}. */
  public static Result run(Options o, PrintWriter out) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    FashionMnist data = FashionMnist.load(FashionMnistDemo.ensureData(o.data(), System.out), true);
    Dataset cleanTrain = ResNetDemo.first(data.train(), o.trainLimit());
    Dataset cleanTest = ResNetDemo.first(data.test(), o.testLimit());
    // Features and labels are both the clean image; the noise goes onto the features, batch by batch.
    Dataset train = new Dataset(cleanTrain.features(), cleanTrain.features()).map(Augment.gaussianNoise(NOISE));
    HostTensor clean = cleanTest.features();
    HostTensor noisy = Augment.gaussianNoise(NOISE).apply(new Batch(clean, clean), new SplittableRandom(o.seed() + 1)).features();
    Dataset test = new Dataset(noisy, clean);
    double baseline = mse(noisy, clean);
    var model = UNet.build(o.seed(), o.width());
    out.printf(Locale.ROOT, "Fashion-MNIST denoising: %d train, %d test images, Gaussian noise std %.2f; U-Net width %d, "
        + "%d parameters; MSE loss, Adam lr %g, batch %d, %d epochs, seed %d%n", train.size(), test.size(), NOISE, o.width(),
        ResNetDemo.parameterCount(model), LR, BATCH, o.epochs(), o.seed());
    try (Trainer trainer = Trainer.builder(model).loss(Losses.mse(Reduction.MEAN), "denoised")
        .labels(DType.F32, 1, 28, 28).optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(LR)
        .seed(o.seed()).progress(o.progress()).build()) {
      History h = trainer.fit(train, null, o.epochs(), BATCH);
      out.print(h);
      double tfMse = trainer.evaluate(test, 500).get("loss");
      double diff = trainer.exportAndVerify(o.output(), ResNetDemo.first(test, 256));
      double ortMse = onnxMse(o.output(), test);
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "test MSE of the noisy input (baseline): %.5f%n", baseline);
      out.printf(Locale.ROOT, "test MSE on TensorFlow-Java:            %.5f  (%.1fx below the baseline)%n", tfMse, baseline / tfMse);
      out.printf(Locale.ROOT, "test MSE on ONNX Runtime:               %.5f  (%s)%n", ortMse, o.output());
      out.printf(Locale.ROOT, "max |TF - ORT| of the outputs on 256 test images: %.2e; wall time %.1f s%n", diff, seconds);
      out.flush();
      return new Result(h, baseline, tfMse, ortMse, diff, seconds);
    }
  }

  /** Mean of (a - b)² over every element. */
  static double mse(HostTensor a, HostTensor b) {
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    if (x.length != y.length) throw new IllegalArgumentException("mse: " + x.length + " against " + y.length + " elements");
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - y[i];
      s += d * d;
    }
    return s / x.length;
  }

  /** The ONNX file's MSE over {@code test} in ONNX Runtime, in batches of 1000. */
  public static double onnxMse(Path onnx, Dataset test) {
    double sum = 0;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      for (var b : test.batches(1000, false, 0)) {
        sum += mse(m.run(Map.of("noisy", b.features())).get("denoised"), b.labels()) * b.size();
      }
    }
    return sum / test.size();
  }

  /** {@code DenoiseDemo [epochs] [train examples, 0 = all]}. */
  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : EPOCHS;
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Options d = Options.defaults(FashionMnistDemo.DEFAULT_DATA, Path.of("unet.onnx"));
    run(new Options(epochs, d.data(), d.output(), d.seed(), limit, 0, d.width(), true), new PrintWriter(System.out, true));
  }
}
