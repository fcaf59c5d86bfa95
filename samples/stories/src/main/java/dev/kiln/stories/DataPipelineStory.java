package dev.kiln.stories;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Augment;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.ImageFolder;
import dev.kiln.runtime.data.RandomTransforms;
import dev.kiln.runtime.data.Transforms;
import dev.kiln.runtime.data.WeightedSampler;
import dev.kiln.runtime.train.CsvLogger;
import dev.kiln.runtime.train.EarlyStopping;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.ModelCheckpoint;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.TensorBoardLogger;
import dev.kiln.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Story (d): a full data pipeline. An image folder (one subfolder per class, as torchvision's {@code ImageFolder}),
 * split into training and validation, augmented per batch (random crop and flip, then normalised), drawn by a
 * class-balanced weighted sampler (a fresh draw every epoch) because the classes are imbalanced, trained with
 * TensorBoard and CSV logging, a best-model checkpoint and early stopping, then the best checkpoint restored.
 * kiln-dsl, kiln-train, kiln-tensorflow only.
 *
 * <p>With no folder of your own, {@link #writeSampleFolder} makes one from Fashion-MNIST: three classes with 6:2:1
 * examples, PNG files.
 */
public final class DataPipelineStory {
  private DataPipelineStory() {}

  /** What a run measured and wrote. */
  public record Result(List<String> classes, int trainSize, int validationSize, History history, Path tensorBoardFile,
                       Path csv, Path bestCheckpoint, double restoredValLoss) {}

  /** Fashion-MNIST classes written by {@link #writeSampleFolder}, with their share of {@code n} images. */
  static final String[] NAMES = {"sneaker", "shirt", "bag"};
  static final int[] LABELS = {7, 6, 8};
  static final int[] SHARE = {6, 2, 1};

  /** Writes an imbalanced three-class PNG image folder of about {@code n} Fashion-MNIST images under {@code root}. */
  public static Path writeSampleFolder(Path data, Path root, int n) throws IOException {
    Dataset train = FashionMnist.load(data, true).train();
    float[] pixels = train.features().toFloats();
    long[] labels = train.labels().toLongs();
    int total = SHARE[0] + SHARE[1] + SHARE[2];
    for (int c = 0; c < NAMES.length; c++) {
      Path dir = Files.createDirectories(root.resolve(NAMES[c]));
      int want = n * SHARE[c] / total;
      for (int i = 0, written = 0; i < labels.length && written < want; i++) {
        if (labels[i] != LABELS[c]) continue;
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) img.getRaster().setSample(x, y, 0, Math.round(pixels[i * 784 + y * 28 + x] * 255));
        }
        ImageIO.write(img, "png", dir.resolve(String.format("%05d.png", i)).toFile());
        written++;
      }
    }
    return root;
  }

  /** A small CNN for [batch, 1, 28, 28] images and {@code classes} classes. */
  static Model cnn(int classes) {
    return Model.define("pipeline_cnn", 42, m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 1, 28, 28);
      Tensor<F32> h = x.conv2d("conv1", Conv.out(16).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2)
          .conv2d("conv2", Conv.out(32).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2).flatten();
      m.output("logits", h.linear("fc", classes));
    });
  }

  /** Runs the pipeline over the image folder {@code images} for at most {@code epochs}; logs under {@code runDir}. */
  public static Result run(Path images, int epochs, Path runDir, PrintStream out) throws IOException {
    ImageFolder.Loaded folder = ImageFolder.load(images, 1, 28, 28);
    List<Dataset> parts = folder.data().split(0.2, 7);
    Dataset train = parts.get(0), val = parts.get(1);
    double[] mean = {0.3}, std = {0.35};
    Augment augment = Augment.randomCrop(2).then(Augment.randomHorizontalFlip(0.5)).then(Transforms.normalize(mean, std));
    Dataset trainAug = train.map(augment);
    Dataset valNorm = val.map(Transforms.normalize(mean, std));
    // Inverse class frequency: each class drawn equally often, a fresh draw every epoch.
    WeightedSampler sampler = trainAug.withWeightedSampling(train.classBalancedWeights(), 11);
    out.printf("%s: classes %s, %d training and %d validation images%n", images, folder.classes(), train.size(), val.size());

    Path tb = runDir.resolve("tensorboard");
    Path csv = runDir.resolve("history.csv");
    Path best = runDir.resolve("best.kckpt");
    EarlyStopping early = EarlyStopping.onValLoss(2);
    Model model = cnn(folder.classes().size());
    History history;
    try (Trainer t = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(2e-3).seed(42)
        .metrics(Metric.accuracy())
        .callbacks(TensorBoardLogger.to(tb), CsvLogger.to(csv), ModelCheckpoint.best(best, "val_loss", History.Mode.MIN), early)
        .build()) {
      history = t.fit(sampler, valNorm, epochs, 32);
      out.print(history);
    }
    // A fresh trainer picks the best epoch up from its checkpoint (as a later run or another process would).
    double restored;
    try (Trainer t = Trainer.builder(cnn(folder.classes().size())).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(2e-3).progress(false).build()) {
      t.restore(best);
      restored = t.evaluate(valNorm, 256).get("loss");
    }
    Path events;
    try (var files = Files.list(tb)) {
      events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
    }
    out.printf("TensorBoard: %s (tensorboard --logdir %s); CSV: %s; best checkpoint %s, val_loss %.4f when restored%n",
        events, tb, csv, best, restored);
    return new Result(folder.classes(), train.size(), val.size(), history, events, csv, best, restored);
  }

  /**
   * {@code scripts/story data-pipeline [IMAGE_FOLDER|-] [epochs]}; without a folder (or with {@code -}), a Fashion-MNIST
   * one is written under {@code runs/data-pipeline/images} first.
   */
  public static void main(String[] args) throws IOException {
    Path runDir = Files.createDirectories(Path.of("runs", "data-pipeline"));
    Path images = args.length > 0 && !args[0].equals("-") ? Path.of(args[0])
        : writeSampleFolder(FashionMnist.DEFAULT_DIR, runDir.resolve("images"), 1800);
    run(images, args.length > 1 ? Integer.parseInt(args[1]) : 10, runDir, System.out);
  }
}
