package dev.kiln.samples.norm;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.runtime.train.TrainingCallback;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropout's training and eval forms, its reproducibility, and a batch norm + dropout model trained by the Trainer. */
class DropoutTrainingTest {
  @TempDir Path tmp;

  private static HostTensor ones(long... shape) {
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    Arrays.fill(v, 1f);
    return HostTensor.ofFloats(v, shape);
  }

  private static float[] runTrain(Model m, HostTensor x, int step) {
    try (TfModel tf = TfModel.load(m.graph())) {
      return tf.run(Map.of("x", x, TrainingForm.STEP, HostTensor.scalar(DType.F32, step))).get("output").toFloats();
    }
  }

  private static Model dropoutModel(long seed, double rate, boolean spatial, long... shape) {
    return Model.build("drop", seed, m -> {
      Tensor<F32> x = m.input("x", F32, (Object[]) Arrays.stream(shape).boxed().toArray());
      return spatial ? x.spatialDropout(rate) : x.dropout(rate);
    });
  }

  @Test
  void trainingMaskDropsAboutRateAndScalesTheRest() {
    float[] y = runTrain(dropoutModel(7, 0.3, false, 200, 50), ones(200, 50), 1);
    int zeros = 0;
    for (float v : y) {
      if (v == 0) zeros++;
      else assertEquals(1 / 0.7f, v, 1e-6, "kept elements are scaled by 1 / (1 - rate)");
    }
    // 10,000 Bernoulli(0.3) draws: standard deviation 0.0046, so 0.03 is about 6.5 of them.
    assertEquals(0.3, zeros / 10000.0, 0.03);
  }

  @Test
  void spatialDropoutDropsWholeChannels() {
    float[] y = runTrain(dropoutModel(7, 0.5, true, 40, 30, 2, 2), ones(40, 30, 2, 2), 3);
    int dropped = 0;
    for (int ch = 0; ch < 40 * 30; ch++) {
      float first = y[ch * 4];
      for (int k = 1; k < 4; k++) assertEquals(first, y[ch * 4 + k], "channel " + ch + " is dropped or kept whole");
      assertTrue(first == 0 || first == 2f, "kept channels are scaled by 2, got " + first);
      if (first == 0) dropped++;
    }
    assertEquals(0.5, dropped / 1200.0, 0.08);
  }

  @Test
  void sameSeedAndStepGiveTheSameMaskBitForBit() {
    HostTensor x = ones(30, 20);
    float[] a = runTrain(dropoutModel(7, 0.5, false, 30, 20), x, 5);
    assertArrayEquals(a, runTrain(dropoutModel(7, 0.5, false, 30, 20), x, 5), "same seed, same step");
    assertFalse(Arrays.equals(a, runTrain(dropoutModel(7, 0.5, false, 30, 20), x, 6)), "the step changes the mask");
    assertFalse(Arrays.equals(a, runTrain(dropoutModel(8, 0.5, false, 30, 20), x, 5)), "the seed changes the mask");
  }

  @Test
  void gradientUsesTheSameMask() {
    Model m = Model.build("dropgrad", 7, b -> b.input("x", F32, 10, 10).dropout(0.4).sum(false));
    Graph g = m.graph();
    Graph grads = Autodiff.gradients(g, g.outputs().get(0), List.of(g.input("x")), false);
    HostTensor x = ones(10, 10);
    Map<String, HostTensor> feed = Map.of("x", x, TrainingForm.STEP, HostTensor.scalar(DType.F32, 2));
    Map<String, HostTensor> out;
    try (TfModel tf = TfModel.load(grads)) {
      out = tf.run(feed);
    }
    Model fwd = Model.build("dropgrad", 7, b -> b.input("x", F32, 10, 10).dropout(0.4));
    float[] y = runTrain(fwd, x, 2);
    // y = x * mask / (1 - p) with x = 1, so dy/dx = y elementwise: d sum / dx = y.
    assertArrayEquals(y, out.get("grad/x").toFloats());
  }

  @Test
  void evalFormIsTheIdentityAndOnnxHasNoDropout() {
    Model m = dropoutModel(7, 0.5, true, 4, 3, 2, 2);
    Graph eval = m.evalGraph();
    assertEquals(List.of("x"), eval.inputs().stream().map(Value::name).toList(), "the step input is gone");
    HostTensor x = HostTensor.ofFloats(new float[48], 4, 3, 2, 2);
    float[] xs = new float[48];
    for (int i = 0; i < 48; i++) xs[i] = i - 20.5f;
    x = HostTensor.ofFloats(xs, 4, 3, 2, 2);
    try (TfModel tf = TfModel.load(eval)) {
      assertArrayEquals(xs, tf.run(Map.of("x", x)).get("output").toFloats());
    }
    var proto = OnnxExporter.export(m.graph());
    assertTrue(proto.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().contains("Dropout") || n.getOpType().contains("Random")),
        "ONNX holds no training-mode dropout");
    assertEquals(1, proto.getGraph().getInputCount());
    try (OnnxRuntimeModel r = OnnxRuntimeModel.load(proto.toByteArray())) {
      assertArrayEquals(xs, r.run(Map.of("x", x)).get("output").toFloats());
    }
  }

  private static Model bnDropModel() {
    return Model.build("bndrop", 5, m -> {
      Tensor<F32> x = m.input("x", F32, Dim.symbolic("batch"), 4);
      return m.linear("fc1", x, 16).batchNorm("bn").relu().dropout(0.2).linear("fc2", 1);
    });
  }

  /** n examples, x ~ N(1, 2) [n, 4] (so the batch statistics matter), targets x·a + 0.5 [n, 1]. */
  private static Dataset regression(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    float[] t = new float[n];
    double[] a = {1, 0.5, -1, 2};
    for (int i = 0; i < n; i++) {
      double s = 0.5;
      for (int k = 0; k < 4; k++) {
        x[i * 4 + k] = (float) (1 + 2 * r.nextGaussian());
        s += x[i * 4 + k] * a[k];
      }
      t[i] = (float) s;
    }
    return new Dataset(HostTensor.ofFloats(x, n, 4), HostTensor.ofFloats(t, n, 1));
  }

  /** Trains 8 epochs and returns every step's loss. */
  private double[] train(Path onnx, double[] maxDiff, float[][] runningMean) {
    Dataset data = regression(128, 1);
    java.util.List<Double> steps = new java.util.ArrayList<>();
    TrainingCallback record = new TrainingCallback() {
      @Override public void onStepEnd(Trainer trainer, long step, double loss) { steps.add(loss); }
    };
    try (Trainer tr = Trainer.builder(bnDropModel()).loss(Losses.mse(Reduction.MEAN), "output").optimizer(Optimizers.sgd())
        .learningRate(0.02).seed(11).callbacks(record).progress(false).build()) {
      tr.fit(data, null, 8, 16);
      double[] log = steps.stream().mapToDouble(Double::doubleValue).toArray();
      runningMean[0] = tr.model().graph().parameter("bn.running_mean").orElseThrow().initial().toFloats();
      maxDiff[0] = tr.exportAndVerify(onnx, data);
      return log;
    }
  }

  @Test
  void batchNormDropoutModelTrainsReproduciblyAndItsExportAgreesWithTheEvalGraph() {
    double[] diff = new double[1];
    float[][] mean = new float[1][];
    double[] l = train(tmp.resolve("a.onnx"), diff, mean);
    double first = Arrays.stream(l, 0, 8).average().orElseThrow();
    double last = Arrays.stream(l, l.length - 8, l.length).average().orElseThrow();
    assertTrue(last < 0.5 * first, "loss falls: first epoch " + first + ", last " + last);
    assertTrue(diff[0] <= 1e-5, "ONNX Runtime vs TF eval graph: " + diff[0]);
    assertTrue(Arrays.stream(toDoubles(mean[0])).anyMatch(v -> Math.abs(v) > 1e-3), "running mean was updated: " + Arrays.toString(mean[0]));
    float[][] mean2 = new float[1][];
    double[] l2 = train(tmp.resolve("b.onnx"), diff, mean2);
    assertArrayEquals(l, l2, "same seed, same losses bit for bit");
    assertArrayEquals(mean[0], mean2[0]);
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }
}
