package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer end to end on TensorFlow with the project's losses, optimizers, metrics and progress bar. */
class TrainerTest {
  @TempDir Path tmp;

  static Model linear() {
    return Model.build("lin", 3, m -> m.linear("fc", m.input("x", F32, Dim.symbolic("batch"), 4), 1));
  }

  static Model mlp() {
    return Model.build("mlp", 5, m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 4);
      return m.linear("fc2", m.linear("fc1", x, 16).relu(), 1);
    });
  }

  /** n examples, x ~ N(0,1) [n,4], targets sign·(x·a + 0.5) [n,1]. */
  static Dataset regression(int n, long seed, double sign) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    float[] t = new float[n];
    double[] a = {1, 0.5, -1, 2};
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 4; k++) x[i * 4 + k] = (float) r.nextGaussian();
      double s = 0.5;
      for (int k = 0; k < 4; k++) s += x[i * 4 + k] * a[k];
      t[i] = (float) (sign * s);
    }
    return new Dataset(HostTensor.ofFloats(x, n, 4), HostTensor.ofFloats(t, n, 1));
  }

  static TrainerBuilder sgd(Model m, double lr) {
    return Trainer.builder(m).loss(Losses.mse(Reduction.SUM), "output").optimizer(Optimizers.sgd()).learningRate(lr).seed(11)
        .progress(false);
  }

  /** Records every step's loss in order (the sequence a seeded run reproduces bit for bit). */
  static final class StepLosses implements TrainingCallback {
    private final List<Double> losses = new ArrayList<>();

    @Override public void onStepEnd(Trainer trainer, long step, double loss) { losses.add(loss); }

    double[] take() {
      double[] a = losses.stream().mapToDouble(Double::doubleValue).toArray();
      losses.clear();
      return a;
    }
  }

  /** The step losses of one fit. */
  static double[] fitLosses(TrainerBuilder cfg, Dataset d, int epochs, int batch) {
    StepLosses rec = new StepLosses();
    try (Trainer t = cfg.callbacks(rec).build()) {
      t.fit(d, null, epochs, batch);
    }
    return rec.take();
  }

  @Test
  void oneFullBatchSgdStepMatchesTheHandComputedUpdate() {
    Model m = linear();
    Dataset d = regression(8, 1, 1);
    float[] w = m.graph().parameter("fc.weight").orElseThrow().initial().toFloats();
    float[] x = d.features().toFloats();
    float[] t = d.labels().toFloats();
    double lr = 0.01;
    // loss = Σ (xW − t)² (bias 0): dL/dW = 2 xᵀ(xW − t), dL/db = 2 Σ rows.
    double[] gw = new double[4];
    double gb = 0;
    for (int i = 0; i < 8; i++) {
      double y = 0;
      for (int k = 0; k < 4; k++) y += x[i * 4 + k] * w[k];
      double e = 2.0 * (y - t[i]);
      for (int k = 0; k < 4; k++) gw[k] += x[i * 4 + k] * e;
      gb += e;
    }
    try (Trainer tr = sgd(m, lr).build()) {
      History log = tr.fit(d, null, 1, 8);
      assertEquals(1, log.size());
      assertEquals(lr, log.last().learningRate(), 0);
      Map<String, HostTensor> v = tr.variables();
      float[] w1 = v.get("fc.weight").toFloats();
      float[] b1 = v.get("fc.bias").toFloats();
      for (int k = 0; k < 4; k++) assertEquals(w[k] - lr * gw[k], w1[k], 1e-5, "weight " + k);
      assertEquals(-lr * gb, b1[0], 1e-5, "bias");
      assertEquals(1, tr.step());
    }
  }

  @Test
  void trainingLowersTheLossAndTheSameSeedRepeatsItBitForBit() {
    Dataset d = regression(200, 2, 1);
    StepLosses rec = new StepLosses();
    try (Trainer t1 = sgd(mlp(), 0.002).callbacks(rec).build()) {
      History h = t1.fit(d, null, 5, 16);
      double first = h.records().get(0).trainLoss();
      assertTrue(h.last().trainLoss() < 0.2 * first, "loss fell from " + first + " to " + h.last().trainLoss());
    }
    double[] a = rec.take();
    assertEquals(5 * 13, a.length);
    assertArrayEquals(a, fitLosses(sgd(mlp(), 0.002), d, 5, 16), 0.0);
    assertFalse(java.util.Arrays.equals(a, fitLosses(sgd(mlp(), 0.002).seed(12), d, 5, 16)), "another seed shuffles differently");
  }

  @Test
  void checkpointResumesBitForBitWithOptimizerState() throws Exception {
    Dataset d = regression(100, 3, 1);
    StepLosses rec = new StepLosses();
    TrainerBuilder cfg = Trainer.builder(mlp()).loss(Losses.mse(Reduction.SUM), "output").optimizer(Optimizers.momentum(0.9))
        .learningRate(0.0005).seed(5).labels(DType.F32, 1).progress(false).callbacks(rec);
    double[] straight;
    try (Trainer t = cfg.build()) {
      t.fit(d, null, 2, 16);
      straight = rec.take();
    }
    Path ck = tmp.resolve("ck/run.ckpt");
    double[] first;
    try (Trainer t = cfg.build()) {
      t.fit(d, null, 1, 16);
      first = rec.take();
      t.saveCheckpoint(ck);
      assertEquals(Set.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), t.variables().keySet().stream()
          .map(k -> k.replaceFirst("/.*", "")).collect(java.util.stream.Collectors.toSet()));
      assertTrue(t.variables().size() == 8, "each parameter has one momentum slot: " + t.variables().keySet());
    }
    double[] second;
    try (Trainer t = cfg.build()) {
      t.restore(ck);
      assertEquals(7, t.step());
      assertEquals(1, t.epochs());
      t.fit(d, null, 1, 16);
      second = rec.take();
    }
    double[] resumed = new double[first.length + second.length];
    System.arraycopy(first, 0, resumed, 0, first.length);
    System.arraycopy(second, 0, resumed, first.length, second.length);
    assertArrayEquals(straight, resumed, 0.0);
    try (var files = Files.list(ck.getParent())) {
      assertEquals(List.of(ck), files.toList(), "no temp file is left behind");
    }
  }

  @Test
  void aNonFiniteLossStopsTrainingNamingTheStep() {
    try (Trainer t = sgd(mlp(), 1e6).build()) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(regression(64, 4, 1), null, 50, 8));
      assertTrue(e.step() > 1, "the first steps are finite");
      assertTrue(Double.isFinite(e.lastFiniteLoss()));
      assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains("last finite loss"), e.getMessage());
    }
  }

  @Test
  void badDataIsRefusedBeforeAnyStep() {
    try (Trainer t = sgd(mlp(), 0.1).build()) {
      Dataset f64 = new Dataset(HostTensor.ofDoubles(new double[8], 2, 4), HostTensor.ofFloats(new float[2], 2, 1));
      KilnException e1 = assertThrows(KilnException.class, () -> t.fit(f64, null, 1, 2));
      assertTrue(e1.getMessage().contains("training features are f64") && e1.getMessage().contains("x"), e1.getMessage());
      Dataset wide = new Dataset(HostTensor.ofFloats(new float[10], 2, 5), HostTensor.ofFloats(new float[2], 2, 1));
      KilnException e2 = assertThrows(KilnException.class, () -> t.fit(wide, null, 1, 2));
      assertTrue(e2.getMessage().contains("[2, 5]") && e2.getMessage().contains("f32[batch, 4]"), e2.getMessage());
      assertEquals(0, t.step(), "no step ran");
    }
    Model classifier = Model.build("cls", m -> m.linear("fc", m.input("x", F32, Dim.symbolic("batch"), 4), 3));
    try (Trainer t = sgd(classifier, 0.1).build()) {
      Dataset classes = new Dataset(HostTensor.ofFloats(new float[8], 2, 4), HostTensor.ofLongs(new long[] {1, 5}, 2));
      KilnException e3 = assertThrows(KilnException.class, () -> t.fit(classes, null, 1, 2));
      assertTrue(e3.getMessage().contains("label 5 at example 1 is out of range") && e3.getMessage().contains("3 classes"), e3.getMessage());
      assertEquals(0, t.step(), "no step ran");
    }
    KilnException empty = assertThrows(KilnException.class,
        () -> new Dataset(HostTensor.ofFloats(new float[0], 0, 4), HostTensor.ofFloats(new float[0], 0, 1)));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestWeights() {
    // Validation targets are the negated training targets, so after the first epoch validation only worsens.
    Dataset train = regression(64, 5, 1);
    Dataset val = regression(32, 6, -1);
    EarlyStopping es = new EarlyStopping("val_loss", 1, 0, true);
    try (Trainer t = sgd(linear(), 0.005).callbacks(es).build()) {
      History log = t.fit(train, val, 20, 8);
      assertEquals(3, log.size(), "best at epoch 0, then two epochs without improvement");
      assertEquals(1, es.bestEpoch(), "epochs are numbered from 1");
      assertEquals(log.records().get(0).get("val_loss"), t.evaluate(val, 8).get("loss"), 1e-6);
    }
  }

  @Test
  void regularizationAddsItsPenaltyAndClippingAppliesToTheGradients() {
    Dataset d = regression(16, 7, 1);
    double plain = fitLosses(sgd(linear(), 0.005), d, 1, 16)[0];
    float[] w = linear().graph().parameter("fc.weight").orElseThrow().initial().toFloats();
    double l2 = 0;
    for (float x : w) l2 += x * x;  // the bias starts at 0, so L2 over all parameters is the weights' sum of squares
    assertEquals(plain + 0.5 * l2, fitLosses(sgd(linear(), 0.005).regularization(Regularization.l2(0.5)), d, 1, 16)[0], 1e-4);
    // Clipping that zeroes every gradient leaves the weights where they started.
    try (Trainer t = sgd(linear(), 0.005).clipping((b, gs) -> gs.stream().map(g -> Ir.scale(b, g, 0)).toList()).build()) {
      t.fit(d, null, 2, 4);
      assertArrayEquals(w, t.variables().get("fc.weight").toFloats(), 0f);
    }
  }

  @Test
  void trainedModelExportsAndAgreesWithOnnxRuntime() throws Exception {
    Dataset d = regression(64, 8, 1);
    try (Trainer t = sgd(mlp(), 0.002).build()) {
      HostTensor before = t.predict(d.features());
      t.fit(d, null, 3, 16);
      double diff = t.exportAndVerify(tmp.resolve("mlp.onnx"), d);
      assertTrue(diff <= 1e-5, "max abs diff " + diff);
      HostTensor after = t.predict(d.features());
      assertFalse(java.util.Arrays.equals(before.toFloats(), after.toFloats()), "training changed the predictions");
      try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(tmp.resolve("mlp.onnx"))) {
        float[] o = ort.run(Map.of("x", d.features())).get("output").toFloats();
        float[] a = after.toFloats();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], o[i], 1e-5f);
      }
      assertTrue(t.evaluate(d, 16).get("loss") < 0.5 * new TrainerHelper(d).initialLoss(), "trained loss is lower than the initial one");
    }
  }

  /** Two feature inputs, a [batch, 3] and b [batch, 2], each through its own linear layer, summed. */
  static Model twoInputs() {
    return Model.build("two", 9, m -> {
      var a = m.input("a", F32, Dim.symbolic("batch"), 3);
      var b = m.input("b", F32, Dim.symbolic("batch"), 2);
      return m.linear("fa", a, 1).add(m.linear("fb", b, 1));
    });
  }

  @Test
  void aModelWithTwoFeatureInputsTrainsOnNamedFeatures() throws Exception {
    int n = 96;
    Random r = new Random(21);
    float[] a = new float[n * 3];
    float[] b = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) a[i * 3 + k] = (float) r.nextGaussian();
      for (int k = 0; k < 2; k++) b[i * 2 + k] = (float) r.nextGaussian();
      y[i] = a[i * 3] - 2 * a[i * 3 + 2] + 0.5f * b[i * 2 + 1] + 1;
    }
    Map<String, HostTensor> features = new java.util.LinkedHashMap<>();
    features.put("b", HostTensor.ofFloats(b, n, 2));  // by name, in any order
    features.put("a", HostTensor.ofFloats(a, n, 3));
    Dataset d = Dataset.of(features, HostTensor.ofFloats(y, n, 1));
    try (Trainer t = Trainer.builder(twoInputs()).loss(Losses.mse(Reduction.MEAN), "output").optimizer(Optimizers.momentum(0.9))
        .learningRate(0.02).seed(3).progress(false).build()) {
      double before = t.evaluate(d, 32).get("loss");
      History h = t.fit(d, d, 20, 16);
      double after = t.evaluate(d, 32).get("loss");
      assertTrue(after < 0.01 * before, "two-input loss " + before + " -> " + after);
      assertEquals(after, h.column("val_loss")[19], 1e-6);
      assertEquals(n, t.predict(features).shape()[0]);
      assertTrue(t.exportAndVerify(tmp.resolve("two.onnx"), d) <= 1e-5);
      KilnException one = assertThrows(KilnException.class, () -> t.fit(new Dataset(HostTensor.ofFloats(a, n, 3),
          HostTensor.ofFloats(y, n, 1)), null, 1, 16));
      assertTrue(one.getMessage().contains("one unnamed feature tensor but the model has inputs"), one.getMessage());
      KilnException wrong = assertThrows(KilnException.class, () -> t.evaluate(Dataset.of(Map.of("a", HostTensor.ofFloats(a, n, 3),
          "c", HostTensor.ofFloats(b, n, 2)), HostTensor.ofFloats(y, n, 1)), 16));
      assertTrue(wrong.getMessage().contains("has inputs"), wrong.getMessage());
    }
  }

  /** Three Gaussian blobs in 4-d, centred at 3·e_k: linearly separable with few errors. */
  static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
      for (int k = 0; k < 4; k++) x[i * 4 + k] = (float) (r.nextGaussian() + (k == y[i] ? 3 : 0));
    }
    return new Dataset(HostTensor.ofFloats(x, n, 4), HostTensor.ofLongs(y, n));
  }

  @Test
  void classifierTrainsWithCrossEntropyAndAdamReportingMetricsAndProgress() {
    Model m = Model.build("cls", 9, b -> b.linear("fc2", b.linear("fc1", b.input("x", F32, Dim.symbolic("batch"), 4), 16).relu(), 3));
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    ProgressReporter bar = new ProgressReporter("accuracy", true, new java.io.PrintStream(buf, true), false);
    Dataset train = blobs(300, 1);
    Dataset val = blobs(100, 2);
    try (Trainer t = Trainer.builder(m).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(0.01).metrics(Metric.accuracy()).progress(bar).build()) {
      History h = t.fit(train, val, 4, 32);
      assertEquals(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"), h.columns());
      assertTrue(h.last().trainLoss() < h.records().get(0).trainLoss(), h.toString());
      assertTrue(h.last().get("val_accuracy") > 0.9, h.toString());
      double acc = h.last().get("accuracy");
      assertTrue(acc > 0.8 && acc <= 1, h.toString());
      // Validation runs after the last epoch's updates: evaluating again gives the same figures.
      Map<String, Double> ev = t.evaluate(val, 50);
      assertEquals(h.last().get("val_accuracy"), ev.get("accuracy"), 0);
      assertEquals(h.last().get("val_loss"), ev.get("loss"), 1e-6);
      // The train accuracy is that of the batches' predictions before each update; the bar shows the same mean.
      assertEquals(acc, bar.meanMetric(), 1e-9);
    }
    String out = buf.toString();
    assertTrue(out.contains("epoch 4/4") && out.contains("loss ") && out.contains("accuracy ") && out.contains("samples/s"), out);
  }

  /** The initial model's evaluation loss, from an untrained trainer. */
  private static final class TrainerHelper {
    private final Dataset d;

    TrainerHelper(Dataset d) { this.d = d; }

    double initialLoss() {
      try (Trainer t = sgd(mlp(), 0.002).build()) {
        return t.evaluate(d, 16).get("loss");
      }
    }
  }
}
