package dev.kiln.samples;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.Gru;
import dev.kiln.dsl.layers.Layer;
import dev.kiln.dsl.layers.Lstm;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Dim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A recurrent classifier on a synthetic task made in code: count the ones in a random binary sequence
 * (length {@value #LENGTH}, classes 0..{@value #LENGTH}). An LSTM or a GRU (batch-first, 1 layer) reads the bits,
 * a linear layer reads its last hidden state. Trained with {@link Trainer} (TensorFlow, unrolled), evaluated on
 * held-out sequences, exported to ONNX (native LSTM/GRU nodes, any sequence length) and checked in ONNX Runtime.
 *
 * <p>Usage: {@code SequenceDemo [lstm|gru] [train=2000] [epochs=12]} (held-out accuracy at these defaults: LSTM 0.994, GRU 0.993)
 */
public final class SequenceDemo {
  private SequenceDemo() {}

  /** Sequence length. */
  public static final int LENGTH = 8;

  /** Which recurrent layer. */
  public enum Cell { LSTM, GRU }

  /** What a run achieved: held-out accuracy in TF and in ONNX Runtime, and the max |ORT - TF| logit difference. */
  public record Result(double heldOutAccuracy, double onnxAccuracy, double maxDifference) {}

  /** The classifier: x [batch, {@value #LENGTH}, 1] -> logits [batch, {@value #LENGTH} + 1]. */
  public static Model model(Cell cell, long hidden) {
    return Model.build("count_" + cell.name().toLowerCase(), 3, m -> {
      Tensor<F32> x = m.input("bits", F32, Dim.symbolic("batch"), LENGTH, 1);
      Layer rnn = cell == Cell.LSTM ? Lstm.of(hidden).finalState() : Gru.of(hidden).finalState();
      Tensor<F32> h = x.apply("rnn", rnn);
      return m.linear("fc", h, LENGTH + 1);
    });
  }

  /** {@code n} random sequences (ones with probability 1/2) and their counts of ones, from {@code seed}. */
  public static Dataset data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * LENGTH];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < LENGTH; t++) {
        int bit = r.nextInt(2);
        x[i * LENGTH + t] = bit;
        y[i] += bit;
      }
    }
    return new Dataset(HostTensor.ofFloats(x, n, LENGTH, 1), HostTensor.ofLongs(y, n));
  }

  /** Trains, evaluates on 1000 held-out sequences, exports to {@code onnx} and checks it in ONNX Runtime. */
  public static Result run(Cell cell, int trainSize, int epochs, long hidden, Path onnx) {
    Dataset train = data(trainSize, 1), test = data(1000, 2);
    try (Trainer t = Trainer.builder(model(cell, hidden)).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(0.01).seed(5).labels(DType.I64)
        .metrics(Metric.accuracy()).build()) {
      t.fit(train, null, epochs, 32);
      double acc = t.evaluate(test, 250).get("accuracy");
      double diff = t.exportAndVerify(onnx, test);
      double onnxAcc;
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
        onnxAcc = dev.kiln.runtime.train.Metrics.accuracy(m.run(Map.of("bits", test.features())).get("output"), test.labels());
      }
      return new Result(acc, onnxAcc, diff);
    }
  }

  public static void main(String[] args) throws Exception {
    Cell cell = args.length > 0 ? Cell.valueOf(args[0].toUpperCase()) : Cell.LSTM;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    Path onnx = Files.createTempFile("count_" + cell.name().toLowerCase(), ".onnx");
    long start = System.nanoTime();
    Result r = run(cell, n, epochs, 16, onnx);
    System.out.printf("%s counting ones (length %d): held-out accuracy %.4f (TF), %.4f (ONNX Runtime, native node), "
        + "max |ORT - TF| %.2e, %.1f s; model %s%n", cell, LENGTH, r.heldOutAccuracy(), r.onnxAccuracy(), r.maxDifference(),
        (System.nanoTime() - start) / 1e9, onnx);
  }
}
