package dev.kiln.samples.course;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.Backends;
import dev.kiln.runtime.train.FullBatchObjective;
import dev.kiln.runtime.train.Lbfgs;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.spec.HostTensor;
import dev.kiln.compiler.onnx.OnnxExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Full-batch L-BFGS ({@link Lbfgs} over a {@link FullBatchObjective}): softmax regression (one dense layer, 784 → 10)
 * on a Fashion-MNIST subset, minimised with the strong-Wolfe line search; prints the loss every 10 iterations, the
 * evaluations made, and the test accuracy of the minimiser; exports it and checks the file in ONNX Runtime.
 * {@code kiln train lbfgs}.
 */
public final class LbfgsDemo {
  private LbfgsDemo() {}

  /** Training examples, test examples, iterations, history size, seed. */
  public record Options(int examples, int testExamples, int iterations, int history, long seed) {
    public static Options defaults() { return new Options(5000, 10000, 100, 10, 42); }
  }

  /** The run's result and the test accuracy. */
  public record Result(Lbfgs.Result lbfgs, double testAccuracy) {}

  public static Model softmaxRegression(long seed) {
    return Model.build("softmax_regression", seed, m -> m.output("logits", m.linear("fc", m.input("image", F32, "batch", 784), 10)));
  }

  public static Result run(Path dataDir, Options o, Path onnx, PrintWriter out) {
    FashionMnist fm = FashionMnist.load(dataDir, false);
    Dataset train = Course.first(fm.train(), o.examples());
    Dataset test = Course.first(fm.test(), o.testExamples());
    out.printf("L-BFGS (history %d, strong-Wolfe line search) on softmax regression, %d Fashion-MNIST examples, full batch%n",
        o.history(), train.size());
    out.flush();
    try (FullBatchObjective f = FullBatchObjective.builder(softmaxRegression(o.seed()))
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").build(train)) {
      long t0 = System.nanoTime();
      Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().maxIter(o.iterations()).historySize(o.history())
          .maxEval(o.iterations() * 2)).minimize(f, f.point());
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<Double> losses = r.losses();
      for (int k = 0; k < losses.size(); k += 10) out.printf("iteration %3d  loss %.5f%n", k, losses.get(k));
      Model trained = f.model(r.x());
      HostTensor logits = Backends.find().run(trained.graph(), Map.of("image", test.features())).get("logits");
      double acc = Metrics.accuracy(logits, test.labels());
      // The minimiser exported and run in ONNX Runtime gives the same logits.
      try {
        OnnxExporter.write(trained.graph(), onnx);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + onnx, e);
      }
      Map<String, HostTensor> few = Map.of("image", Course.first(test, 256).features());
      double[] ort = Backends.onnxRunner().run(onnx, few).get("logits").toDoubles();
      double[] tf = Backends.find().run(trained.graph(), few).get("logits").toDoubles();
      double diff = 0;
      for (int i = 0; i < tf.length; i++) diff = Math.max(diff, Math.abs(ort[i] - tf[i]));
      out.printf("exported %s (max |ONNX Runtime - TensorFlow| %.2e on 256 examples)%n", onnx, diff);
      out.printf("%d iterations, %d evaluations (%s), final loss %.5f, %.1f s; test accuracy %.4f on %d examples%n",
          r.iterations(), r.evaluations(), r.stop(), r.loss(), seconds, acc, test.size());
      out.flush();
      return new Result(r, acc);
    }
  }
}
