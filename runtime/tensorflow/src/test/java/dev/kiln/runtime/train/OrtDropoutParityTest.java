package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeBackend;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.onnx.OrtTrainingFile;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ops.DropoutMask;
import dev.kiln.spec.ops.Ops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic dropout on both back ends: the TensorFlow and ONNX Runtime back ends draw the same masks (equal to
 * the host reference {@link DropoutMask#keeps}) for the same seed and step, keep 1 - rate of the elements, change
 * masks with the seed and the step, and so train a dropout model to the same per-step losses.
 */
class OrtDropoutParityTest {
  static final int ROWS = 64;
  static final int COLS = 1024;

  /** y = Dropout(x) in training form, x [batch, ...dims]. */
  static Graph dropoutGraph(double rate, long seed, boolean spatial, long... dims) {
    GraphBuilder b = new GraphBuilder("dropout");
    List<Dim> shape = new ArrayList<>(List.of(Dim.symbolic("batch")));
    for (long d : dims) shape.add(Dim.of(d));
    var x = b.input("x", new TensorType(DType.F32, Shape.of(shape)));
    b.output("y", Ops.dropout(b, x, TrainingForm.step(b), rate, seed, spatial, true));
    return b.build();
  }

  /** The outputs of {@code g} on ones at {@code step}: TensorFlow's, then ONNX Runtime's (training-step export). */
  static float[][] onBoth(Graph g, HostTensor x, int step) {
    Map<String, HostTensor> feed = Map.of("x", x, TrainingForm.STEP, HostTensor.scalar(DType.F32, step));
    try (TfModel tf = TfModel.load(g);
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(g, ExportOptions.defaults().trainingForm(true)).toByteArray())) {
      return new float[][] {tf.run(feed).get("y").toFloats(), ort.run(feed).get("y").toFloats()};
    }
  }

  static HostTensor ones(long... shape) {
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, c) -> a * c)];
    Arrays.fill(v, 1);
    return HostTensor.ofFloats(v, shape);
  }

  static boolean[] kept(float[] y) {
    boolean[] k = new boolean[y.length];
    for (int i = 0; i < y.length; i++) k[i] = y[i] != 0;
    return k;
  }

  static double agreement(boolean[] a, boolean[] b) {
    int same = 0;
    for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
    return same / (double) a.length;
  }

  @Test void bothBackEndsDrawTheHostReferenceMaskAtTheRightRate() {
    double rate = 0.3;
    long seed = 123456789012345L;
    Graph g = dropoutGraph(rate, seed, false, COLS);
    int n = ROWS * COLS;
    for (int step : new int[] {1, 2, 977}) {
      float[][] y = onBoth(g, ones(ROWS, COLS), step);
      boolean[] ref = DropoutMask.keeps(seed, step, n, rate);
      assertArrayEquals(ref, kept(y[0]), "TensorFlow mask at step " + step);
      assertArrayEquals(ref, kept(y[1]), "ONNX Runtime mask at step " + step);
      for (float v : y[0]) assertTrue(v == 0 || v == (float) (1 / (1 - rate)), "kept values are scaled by 1 / (1 - rate): " + v);
      assertArrayEquals(y[0], y[1], "the two back ends' outputs, bit for bit");
      // Keep rate 1 - rate, within 5 standard deviations of a Bernoulli mean over n elements.
      double keep = 0;
      for (boolean k : ref) if (k) keep++;
      keep /= n;
      assertEquals(1 - rate, keep, 5 * Math.sqrt(rate * (1 - rate) / n), "keep rate at step " + step);
      // Neighbouring elements independent: they agree with probability p^2 + (1-p)^2.
      boolean[] shifted = Arrays.copyOfRange(ref, 1, n);
      double pAgree = rate * rate + (1 - rate) * (1 - rate);
      double sd = Math.sqrt(pAgree * (1 - pAgree) / (n - 1));
      assertEquals(pAgree, agreement(Arrays.copyOf(ref, n - 1), shifted), 5 * sd, "neighbours at step " + step);
      // Another step, another (independent) mask.
      assertEquals(pAgree, agreement(ref, DropoutMask.keeps(seed, step + 1, n, rate)), 5 * sd, "steps " + step + ", " + (step + 1));
    }
    // The seed is honoured: another seed draws another mask; the same seed draws the same one again.
    float[] other = onBoth(dropoutGraph(rate, seed + 1, false, COLS), ones(ROWS, COLS), 1)[1];
    assertArrayEquals(DropoutMask.keeps(seed + 1, 1, n, rate), kept(other));
    double pAgree = rate * rate + (1 - rate) * (1 - rate);
    assertEquals(pAgree, agreement(kept(other), DropoutMask.keeps(seed, 1, n, rate)), 0.02, "seeds " + seed + ", " + (seed + 1));
    assertArrayEquals(onBoth(g, ones(ROWS, COLS), 5)[1], onBoth(g, ones(ROWS, COLS), 5)[1]);
  }

  @Test void spatialDropoutDropsWholeChannelsAlike() {
    double rate = 0.5;
    Graph g = dropoutGraph(rate, 42, true, 6, 3, 3);
    float[][] y = onBoth(g, ones(20, 6, 3, 3), 3);
    assertArrayEquals(y[0], y[1], "the two back ends");
    boolean[] ref = DropoutMask.keeps(42, 3, 20 * 6, rate);
    for (int i = 0; i < y[0].length; i++) assertEquals(ref[i / 9], y[0][i] != 0, "element " + i + " follows its channel");
  }

  static Model dropoutMlp(long seed) {
    return Model.build("drop_mlp", seed, m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 10);
      return m.linear("fc2", m.linear("fc1", x, 64).relu().dropout(0.4), OrtTrainerParityTest.CLASSES);
    });
  }

  static Trainer trainer(Model model, Backend backend, List<Double> losses) {
    return Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).schedule(Schedules.cosine(0.01, 24, 0)).seed(11).labels(DType.I64)
        .backend(backend).progress(false).callbacks(new TrainingCallback() {
          @Override public void onStepEnd(Trainer t, long step, double loss) { losses.add(loss); }
        }).build();
  }

  @Test void aDropoutModelTrainsAlikeOnBothBackEndsAndInTheExportedFile(@TempDir Path dir) throws Exception {
    Dataset train = OrtTrainerParityTest.data(96, 5);
    int batch = 16;
    List<Double> tfLoss = new ArrayList<>();
    List<Double> ortLoss = new ArrayList<>();
    List<Double> dropped = new ArrayList<>();
    try (Trainer tf = trainer(dropoutMlp(3), TensorFlowBackend.instance(), tfLoss);
         Trainer ort = trainer(dropoutMlp(3), new OnnxRuntimeBackend(), ortLoss);
         Trainer tf2 = trainer(dropoutMlp(3), TensorFlowBackend.instance(), dropped)) {
      tf.exportTraining(dir, train.batchCount(batch));
      tf.fit(train, null, 3, batch);
      ort.fit(train, null, 3, batch);
      OrtTrainerParityTest.assertClose(tfLoss, ortLoss, 1e-5, "Adam + cosine, MLP with dropout 0.4");
      // The masks matter: with dropout off in the same model and data the losses differ.
      tf2.fit(train, null, 1, batch);
      List<Double> noDrop = new ArrayList<>();
      try (Trainer plain = trainer(Model.build("mlp", 3, m -> m.linear("fc2",
          m.linear("fc1", m.input("x", F32, Dim.symbolic("batch"), 10), 64).relu(), OrtTrainerParityTest.CLASSES)),
          TensorFlowBackend.instance(), noDrop)) {
        plain.fit(train, null, 1, batch);
        assertNotEquals(noDrop.get(1), dropped.get(1), "dropout changes the second step's loss");
      }
      // The self-contained file draws the same masks from its step counter (the dropout state).
      List<Double> fileLoss = new ArrayList<>();
      try (OrtTrainingFile f = OrtTrainingFile.load(dir.resolve(TrainingExport.TRAIN_FILE))) {
        for (int e = 0; e < 3; e++) {
          for (Batch b : train.batches(batch, true, BatchSource.epochSeed(11, e))) {
            fileLoss.add(f.step(Map.of("x", b.features(), "labels", b.labels())));
          }
        }
      }
      OrtTrainerParityTest.assertClose(tfLoss, fileLoss, 1e-4, "the exported file in ONNX Runtime vs the TF trainer");
    }
  }

  @Test void aDropoutCheckpointResumesOnTheOtherBackEndWithTheSameMasks(@TempDir Path dir) {
    Dataset train = OrtTrainerParityTest.data(64, 6);
    List<Double> ignored = new ArrayList<>();
    try (Trainer tf = trainer(dropoutMlp(4), TensorFlowBackend.instance(), ignored);
         Trainer ort = trainer(dropoutMlp(4), new OnnxRuntimeBackend(), ignored)) {
      tf.fit(train, null, 2, 16);
      ort.fit(train, null, 2, 16);
      tf.saveCheckpoint(dir.resolve("tf.ckpt"));
      ort.saveCheckpoint(dir.resolve("ort.ckpt"));
    }
    List<Double> tfGoesOn = new ArrayList<>();
    List<Double> ortGoesOn = new ArrayList<>();
    List<Double> ortFromTf = new ArrayList<>();
    List<Double> tfFromOrt = new ArrayList<>();
    try (Trainer a = trainer(dropoutMlp(4), TensorFlowBackend.instance(), tfGoesOn);
         Trainer b = trainer(dropoutMlp(4), new OnnxRuntimeBackend(), ortGoesOn);
         Trainer c = trainer(dropoutMlp(4), new OnnxRuntimeBackend(), ortFromTf);
         Trainer d = trainer(dropoutMlp(4), TensorFlowBackend.instance(), tfFromOrt)) {
      a.restore(dir.resolve("tf.ckpt"));
      b.restore(dir.resolve("ort.ckpt"));
      c.restore(dir.resolve("tf.ckpt"));
      d.restore(dir.resolve("ort.ckpt"));
      for (Trainer t : List.of(a, b, c, d)) t.fit(train, null, 1, 16);
    }
    OrtTrainerParityTest.assertClose(tfGoesOn, ortFromTf, 1e-5, "TF checkpoint resumed on ONNX Runtime");
    OrtTrainerParityTest.assertClose(ortGoesOn, tfFromOrt, 1e-5, "ONNX Runtime checkpoint resumed on TF");
  }
}
