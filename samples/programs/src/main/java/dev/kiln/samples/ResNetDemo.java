package dev.kiln.samples;

import dev.kiln.runtime.data.Augment;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.models.ResNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The small {@link ResNet} on Fashion-MNIST: trained on TensorFlow-Java (softmax cross-entropy, Adam with a
 * cosine-annealed learning rate from {@value #LR} over all steps, batch {@value #BATCH}, {@value #EPOCHS} epochs;
 * random horizontal flips as augmentation, and optionally random crops), evaluated on the test set with the running
 * batch-norm statistics, exported to ONNX and evaluated again in ONNX Runtime.
 */
public final class ResNetDemo {
  private ResNetDemo() {}

  /** Examples per step. */
  public static final int BATCH = 128;
  /** Adam's initial learning rate, annealed to zero by the cosine schedule. */
  public static final double LR = 2e-3;
  /** Epochs of the full recipe. */
  public static final int EPOCHS = 4;

  /**
   * The settings: {@code trainLimit}/{@code testLimit} 0 mean the whole split; {@code widths} and
   * {@code blocks} shape the ResNet (see {@link ResNet#build(long, long[], int)}); {@code cropPadding} &gt; 0
   * augments with random crops (shifts of up to that many pixels each way, zero fill); {@code flip} with
   * left-right mirroring of half the images.
   */
  public record Options(int epochs, Path data, Path output, long seed, int trainLimit, int testLimit,
      long[] widths, int blocks, int cropPadding, boolean flip, boolean progress) {
    /** The full recipe's settings. */
    public static Options defaults(Path data, Path output) {
      return new Options(EPOCHS, data, output, 42, 0, 0, ResNet.WIDTHS, ResNet.BLOCKS, 0, true, true);
    }
  }

  /** What a run measured. */
  public record Result(History history, double tfAccuracy, double ortAccuracy, double maxAbsDiff, double seconds) {}

  /** Trains, evaluates, exports and checks in ONNX Runtime; prints its report to {@code out}. */
  public static Result run(Options o, PrintWriter out) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    FashionMnist data = FashionMnist.load(FashionMnistDemo.ensureData(o.data(), System.out), true);
    Dataset train = first(data.train(), o.trainLimit());
    Dataset test = first(data.test(), o.testLimit());
    var model = ResNet.build(o.seed(), o.widths(), o.blocks());
    long steps = (long) o.epochs() * train.batchCount(BATCH);
    out.printf(Locale.ROOT, "Fashion-MNIST: %d train, %d test examples; ResNet widths %s, %d blocks/stage, %d parameters; "
        + "Adam lr %g cosine over %d steps, batch %d, random crop +-%d px, flips %s, %d epochs, seed %d%n", train.size(), test.size(),
        Arrays.toString(o.widths()), o.blocks(), parameterCount(model), LR, steps, BATCH, o.cropPadding(), o.flip() ? "on" : "off", o.epochs(), o.seed());
    try (Trainer trainer = Trainer.builder(model)
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8))
        .schedule(Schedules.cosine(LR, Math.max(1, steps), 0))
        .seed(o.seed()).metrics(Metric.accuracy()).progress(o.progress()).build()) {
      Dataset augmented = train;
      if (o.flip()) augmented = augmented.map(Augment.randomHorizontalFlip(0.5));
      if (o.cropPadding() > 0) augmented = augmented.map(Augment.randomCrop(o.cropPadding()));
      History h = trainer.fit(augmented, null, o.epochs(), BATCH);
      out.print(h);
      double tfAcc = trainer.evaluate(test, 500).get("accuracy");
      double diff = trainer.exportAndVerify(o.output(), first(test, 256));
      double ortAcc = FashionMnistDemo.onnxAccuracy(o.output(), test);
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "test accuracy on TensorFlow-Java: %.4f%n", tfAcc);
      out.printf(Locale.ROOT, "test accuracy on ONNX Runtime:    %.4f  (%s)%n", ortAcc, o.output());
      out.printf(Locale.ROOT, "max |TF - ORT| of the logits on 256 test examples: %.2e; wall time %.1f s%n", diff, seconds);
      out.flush();
      return new Result(h, tfAcc, ortAcc, diff, seconds);
    }
  }

  static Dataset first(Dataset d, int n) {
    if (n <= 0 || n >= d.size()) return d;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return d.subset(idx);
  }

  static long parameterCount(dev.kiln.dsl.Model m) {
    long n = 0;
    for (var p : m.graph().parameters()) if (p.trainable()) n += p.initial().size();
    return n;
  }

  /** {@code ResNetDemo [epochs] [train examples, 0 = all] [crop padding] [flip true|false]}. */
  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : EPOCHS;
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int crop = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    boolean flip = args.length <= 3 || Boolean.parseBoolean(args[3]);
    Options d = Options.defaults(FashionMnistDemo.DEFAULT_DATA, Path.of("resnet.onnx"));
    run(new Options(epochs, d.data(), d.output(), d.seed(), limit, 0, d.widths(), d.blocks(), crop, flip, true), new PrintWriter(System.out, true));
  }
}
