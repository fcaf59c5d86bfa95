package dev.kiln.samples;

import static dev.kiln.dsl.DTypes.I64;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.Transformer;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Loss;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny transformer encoder on a synthetic task made in code: reverse a random sequence of {@value #LENGTH}
 * tokens from a vocabulary of {@value #VOCAB}. Token embedding + sinusoidal positions, a stack of pre-norm encoder
 * layers, a linear read-out per position: logits [batch, {@value #LENGTH}, {@value #VOCAB}]; the loss is the
 * cross-entropy of every position. Trained on TensorFlow, scored by held-out token accuracy, exported to ONNX
 * (native LayerNormalization) and scored again in ONNX Runtime.
 *
 * <p>Usage: {@code TransformerDemo [train=4000] [epochs=6]}, or {@code ./kiln train transformer}. Measured: held-out token
 * accuracy 0.998 after 2 epochs, 1.000 from epoch 4, in TF and ONNX Runtime alike (about 50 s on 2 shared cores).
 */
public final class TransformerDemo {
  private TransformerDemo() {}

  /** Sequence length. */
  public static final int LENGTH = 8;
  /** Token count. */
  public static final int VOCAB = 10;

  /** Sizes and training settings. */
  public record Settings(int trainSize, int epochs, int width, int heads, int layers, double learningRate, long seed) {
    /** The defaults: 4000 sequences, 6 epochs, width 32, 4 heads, 2 layers, Adam 3e-3. */
    public static Settings defaults() { return new Settings(4000, 6, 32, 4, 2, 3e-3, 42); }
  }

  /** What a run achieved: held-out token accuracy on TF and in ONNX Runtime, max |ORT - TF| logit, seconds. */
  public record Result(double tokenAccuracy, double onnxTokenAccuracy, double maxDifference, double seconds) {}

  /** tokens [batch, {@value #LENGTH}] (i64) to logits [batch, {@value #LENGTH}, {@value #VOCAB}]. */
  public static Model model(Settings s) {
    return Model.build("reverse_transformer", s.seed(), m -> {
      Tensor<?> tokens = m.input("tokens", I64, Dim.symbolic("batch"), LENGTH);
      Tensor<F32> x = m.sinusoidalPositions(m.embedding("embed", tokens, VOCAB, s.width()));
      Transformer o = Transformer.heads(s.heads()).feedForward(2L * s.width()).dropout(0).normFirst(true);
      Tensor<F32> h = m.transformerEncoder("encoder", x, s.layers(), o, null).layerNorm("norm");
      return m.linear("head", h, VOCAB);
    });
  }

  /** {@code n} random token sequences and their reversals, from {@code seed}. */
  public static Dataset data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] x = new long[n * LENGTH];
    long[] y = new long[n * LENGTH];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < LENGTH; t++) x[i * LENGTH + t] = r.nextInt(VOCAB);
      for (int t = 0; t < LENGTH; t++) y[i * LENGTH + t] = x[i * LENGTH + LENGTH - 1 - t];
    }
    return new Dataset(HostTensor.ofLongs(x, n, LENGTH), HostTensor.ofLongs(y, n, LENGTH));
  }

  /**
   * Mean cross-entropy over every position: -mean over [B, L] of sum_v onehot(labels) * logSoftmax(logits), logits
   * [B, L, V] and labels [B, L] kept in their shapes (no flattening, so the gradient keeps the symbolic batch dim).
   */
  public static Loss perTokenCrossEntropy() {
    return (b, logits, labels) -> {
      Value logp = Ops.logSoftmax(b, logits, -1L);
      Value oneHot = Ops.oneHot(b, labels, (long) VOCAB, logits.type().dtype(), -1L);
      Value perToken = Ops.reduceSum(b, Ops.mul(b, oneHot, logp), new long[] {2}, false);
      return Ops.neg(b, Ops.reduceMean(b, perToken, new long[0], false));
    };
  }

  /** Fraction of positions whose arg-max logit is the label; logits [N, L, V], labels [N, L]. */
  public static double tokenAccuracy(HostTensor logits, HostTensor labels) {
    float[] v = logits.toFloats();
    long[] y = labels.toLongs();
    long hits = 0;
    for (int i = 0; i < y.length; i++) {
      int best = 0;
      for (int c = 1; c < VOCAB; c++) if (v[i * VOCAB + c] > v[i * VOCAB + best]) best = c;
      if (best == y[i]) hits++;
    }
    return (double) hits / y.length;
  }

  /** Trains, scores 1000 held-out sequences on TF, exports to {@code onnx} and scores them in ONNX Runtime. */
  public static Result run(Settings s, Path onnx, PrintStream log) {
    long start = System.nanoTime();
    Dataset train = data(s.trainSize(), s.seed() + 1), test = data(1000, s.seed() + 2);
    try (Trainer t = Trainer.builder(model(s)).loss(perTokenCrossEntropy(), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(s.learningRate()).seed(s.seed()).labels(DType.I64, LENGTH)
        .build()) {
      for (int e = 0; e < s.epochs(); e++) {
        t.fit(train, null, 1, 64);
        if (log != null) {
          log.printf("epoch %d: held-out token accuracy %.4f (%.1f s)%n", e + 1, tokenAccuracy(t.predict(test.features()), test.labels()),
              (System.nanoTime() - start) / 1e9);
        }
      }
      HostTensor tf = t.predict(test.features());
      try {
        OnnxExporter.write(t.model().graph(), onnx);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + onnx, e);
      }
      HostTensor ort;
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
        ort = m.run(Map.of("tokens", test.features())).get("output");
      }
      double[] a = ort.toDoubles(), b = tf.toDoubles();
      double max = 0;
      for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
      return new Result(tokenAccuracy(tf, test.labels()), tokenAccuracy(ort, test.labels()), max, (System.nanoTime() - start) / 1e9);
    }
  }

  public static void main(String[] args) throws IOException {
    Settings d = Settings.defaults();
    Settings s = new Settings(args.length > 0 ? Integer.parseInt(args[0]) : d.trainSize(), args.length > 1 ? Integer.parseInt(args[1]) : d.epochs(),
        d.width(), d.heads(), d.layers(), d.learningRate(), d.seed());
    Path onnx = Files.createTempFile("reverse_transformer", ".onnx");
    Result r = run(s, onnx, System.out);
    System.out.printf("transformer reversing %d tokens: held-out token accuracy %.4f (TF), %.4f (ONNX Runtime), max |ORT - TF| %.2e, "
        + "%.1f s; model %s%n", LENGTH, r.tokenAccuracy(), r.onnxTokenAccuracy(), r.maxDifference(), r.seconds(), onnx);
  }
}
