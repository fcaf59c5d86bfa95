package dev.kiln.samples.bench;

import dev.kiln.dsl.Model;
import dev.kiln.models.ResNet;
import dev.kiln.models.RowLstmClassifier;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.samples.FashionMnistDemo;
import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The benchmarked models and the data they train on. Every model here has a real dataset: Fashion-MNIST's
 * training images (pixels scaled to [0, 1], no other preprocessing, the first N examples), shaped as the model
 * reads them ([784] for the MLP, [1, 28, 28] for the CNNs, 28 rows of 28 pixels for the LSTM).
 * {@code bench_torch.py} reads the same files the same way.
 *
 * <p>NOTE: why not random data: with uniform random labels the loss never falls and PyTorch's step on this
 * machine ran 3x slower than on the real images and labels (17.7k against 57k-64k samples/s for the MLP;
 * issue 22), so random labels measured a pathological case, not training.
 */
public final class BenchModels {
  private BenchModels() {}

  /** Batch size on every side. */
  public static final int BATCH = 128;

  /**
   * A benchmarked model: its name (also {@code bench_torch.py}'s {@code --model}), the shape of one example, the
   * class count, the Kiln model (from a seed), the examples per run and the epochs per run. To add a model, add
   * an entry to {@link #MODELS} and the same network to {@code bench_torch.py}.
   */
  public record BenchModel(String name, long[] exampleShape, int classes, LongFunction<Model> build,
                           int defaultExamples, int defaultEpochs) {}

  /** The benchmarked models, in the order they run; sizes chosen so one run takes seconds on 2 cores. */
  public static final List<BenchModel> MODELS = List.of(
      new BenchModel("mlp", new long[] {784}, 10, seed -> FashionMnistDemo.model("mlp", seed), 60000, 1),
      new BenchModel("lenet", new long[] {1, 28, 28}, 10, seed -> FashionMnistDemo.model("lenet", seed), 20000, 1),
      new BenchModel("resnet", new long[] {1, 28, 28}, 10, ResNet::build, 2560, 1),
      new BenchModel("lstm", new long[] {28, 28}, 10, RowLstmClassifier::build, 5120, 1));

  /** The names of {@link #MODELS}. */
  public static List<String> names() { return MODELS.stream().map(BenchModel::name).toList(); }

  /** The entry of {@link #MODELS} named {@code name}. */
  public static BenchModel model(String name) {
    for (BenchModel m : MODELS) if (m.name().equals(name)) return m;
    throw new IllegalArgumentException("unknown benchmark model '" + name + "': one of " + names());
  }

  /** The first {@code n} Fashion-MNIST training examples from {@code dir}, features shaped for {@code model}. */
  public static Dataset fashion(BenchModel model, int n, Path dir) {
    // NOTE: the training split only, and only the first n examples converted to f32 (as bench_torch.py does):
    // the test split and two more copies of the 188 MB training set were most of the JVM sides' peak heap
    // (issue 22's memory).
    if (n < 1) throw new IllegalArgumentException("examples must be at least 1, got " + n);
    Dataset d = FashionMnist.train(dir, false, n);
    if (n > d.size()) throw new IllegalArgumentException("examples must be 1.." + d.size() + ", got " + n);
    return new Dataset(d.features().reshape(shape(model, n)), d.labels());
  }

  /**
   * Synthetic data shaped for {@code model}: features uniform in [0, 1), labels uniform class ids. Only for
   * {@link LegacyEpochBench}, which must measure what builds before the real-data benchmark measured.
   */
  static Dataset synthetic(BenchModel model, int n) {
    Random r = new Random(1);
    int per = (int) Arrays.stream(model.exampleShape()).reduce(1, Math::multiplyExact);
    float[] x = new float[Math.multiplyExact(n, per)];
    long[] y = new long[n];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < n; i++) y[i] = r.nextInt(model.classes());
    return new Dataset(HostTensor.ofFloats(x, shape(model, n)), HostTensor.ofLongs(y, n));
  }

  private static long[] shape(BenchModel model, int n) {
    long[] shape = new long[model.exampleShape().length + 1];
    shape[0] = n;
    System.arraycopy(model.exampleShape(), 0, shape, 1, model.exampleShape().length);
    return shape;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
