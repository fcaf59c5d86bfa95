package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.train.Backends;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.DType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Free-running parity of the two training back ends, made provable in f64 (docs/onnx-training.md): the MLP and
 * LeNet-5 in their f64 form ({@link dev.kiln.compiler.passes.WidenToF64}) trained through the same {@link Trainer} on
 * TensorFlow and on ONNX Runtime, 200 steps of 8 real Fashion-MNIST images each, same seed and shuffles, never
 * re-synchronised: every step's loss agrees within 1e-4 relative (the bound), and so do the trained
 * parameters. In f32 the same runs drift apart (kernel rounding compounds, up to 3e-2 for LeNet-5); in f64 the
 * rounding is ~1e-16, so what is left is the difference of the two implementations' math, which must be none.
 */
class Float64ParityTest {
  static final int STEPS = 200;
  static final int BATCH = 8;

  static Stream<Arguments> runs() {
    return BackendParity.runs(STEPS, 1).stream()
        .filter(r -> r.name().equals("mlp momentum cosine") || r.name().equals("lenet5 adam cosine"))
        .map(r -> Arguments.of(r.name(), r.widened()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void freeRunningLossesAgreeOver200Steps(String label, BackendParity.Run run) {
    Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST not installed (" + FashionMnist.DEFAULT_DIR + ")");
    FashionMnist data = FashionMnist.load(FashionMnist.DEFAULT_DIR);
    Dataset train = BackendParity.shaped(data.train(), STEPS * BATCH, run.perExample(), true);
    assertEquals(DType.F64, train.features().dtype(), "the data is widened with the model");
    List<Double> tf = new ArrayList<>();
    List<Double> ort = new ArrayList<>();
    var tfVars = fit(run, "tensorflow", train, tf);
    var ortVars = fit(run, "onnxruntime", train, ort);
    assertEquals(STEPS, tf.size());
    assertEquals(STEPS, ort.size());
    double worst = 0;
    for (int i = 0; i < STEPS; i++) {
      double d = Math.abs(tf.get(i) - ort.get(i)) / Math.abs(tf.get(i));
      worst = Math.max(worst, d);
      assertTrue(d <= 1e-4, run.name() + ": step " + (i + 1) + " loss TF " + tf.get(i) + " ORT " + ort.get(i));
    }
    assertTrue(tf.get(STEPS - 1) < 0.8 * tf.get(0), run.name() + ": it trains (loss " + tf.get(0) + " -> " + tf.get(STEPS - 1) + ")");
    double worstParam = 0;
    for (String name : tfVars.keySet()) {
      if (tfVars.get(name).dtype() != DType.F64) continue;
      double[] a = tfVars.get(name).toDoubles();
      double[] b = ortVars.get(name).toDoubles();
      double diff = 0;
      double size = 0;
      for (int i = 0; i < a.length; i++) {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        size += a[i] * a[i];
      }
      if (size > 0) worstParam = Math.max(worstParam, Math.sqrt(diff / size));
    }
    System.out.printf(Locale.ROOT, "[parity f64] %s: %d steps of %d, loss %.6f -> %.6f, worst per-step loss difference %.1e,"
        + " worst parameter difference %.1e%n", run.name(), STEPS, BATCH, tf.get(0), tf.get(STEPS - 1), worst, worstParam);
    assertTrue(worstParam <= 1e-4, run.name() + ": trained parameters differ by " + worstParam + " (relative 2-norm)");
  }

  private static java.util.Map<String, dev.kiln.spec.HostTensor> fit(BackendParity.Run run, String backend, Dataset train, List<Double> losses) {
    try (Trainer t = BackendParity.trainer(run, Backends.named(backend), 7, losses)) {
      t.fit(train, null, run.epochs(), BATCH);
      return t.variables();
    }
  }
}
