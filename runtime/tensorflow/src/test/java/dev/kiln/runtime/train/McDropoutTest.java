package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.TrainingForm;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo dropout: the batched passes on TensorFlow estimate the same predictive mean as T separate
 * training-form forward passes (independent masks, one run per step), the statistics are consistent with the mean,
 * the seed fixes the masks, and the ONNX export (Dropout in training mode, masks from ONNX Runtime) agrees with
 * TensorFlow in distribution.
 */
class McDropoutTest {
  private static final int T = 400;
  private static final int BATCH = 5;
  private static final int CLASSES = 3;
  private static final int SEPARATE = 200;

  private static Model model() {
    return Model.build("mc_mlp", 3, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 6);
      return x.linear("fc1", 32).relu().dropout(0.5).linear("fc2", CLASSES).mul(3.0);
    });
  }

  private static HostTensor input() {
    Random rnd = new Random(5);
    float[] v = new float[BATCH * 6];
    for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
    return HostTensor.ofFloats(v, BATCH, 6);
  }

  @Test
  void batchedPassesEstimateTheMeanOfSeparatePasses() {
    Model model = model();
    Graph mc = McDropout.graph(model.graph(), "x", "output", T);
    Backend tf = TensorFlowBackend.instance();
    Map<String, HostTensor> r = McDropout.run(tf, mc, "x", input(), 1);
    double[] mean = r.get(McDropout.MEAN).toDoubles();
    double[] separate = new double[BATCH * CLASSES];
    try (TfModel forward = TfModel.load(model.graph())) {
      for (int step = 1; step <= SEPARATE; step++) {
        HostTensor logits = forward.run(Map.of("x", input(), TrainingForm.STEP, HostTensor.scalar(DType.F32, step))).get("output");
        double[] p = softmax(logits.toDoubles());
        for (int i = 0; i < p.length; i++) separate[i] += p[i] / SEPARATE;
      }
    }
    double[] var = r.get(McDropout.VARIANCE).toDoubles();
    for (int i = 0; i < mean.length; i++) {
      // NOTE: two Monte Carlo estimates of one expectation: their difference has std sqrt(var / T + var / SEPARATE).
      double tol = 5 * Math.sqrt(var[i] / T + var[i] / SEPARATE) + 1e-4;
      assertEquals(separate[i], mean[i], tol, "mean probability " + i);
    }
    double maxVar = 0;
    for (double v : var) maxVar = Math.max(maxVar, v);
    assertTrue(maxVar > 1e-3, "dropout should make the passes differ, max variance " + maxVar);
  }

  @Test
  void statisticsAreConsistentAndSeeded() {
    Graph mc = McDropout.graph(model().graph(), "x", "output", 64);
    Backend tf = TensorFlowBackend.instance();
    Map<String, HostTensor> a = McDropout.run(tf, mc, "x", input(), 7);
    assertArrayEquals(a.get(McDropout.MEAN).toFloats(), McDropout.run(tf, mc, "x", input(), 7).get(McDropout.MEAN).toFloats());
    assertFalse(java.util.Arrays.equals(a.get(McDropout.MEAN).toFloats(), McDropout.run(tf, mc, "x", input(), 8).get(McDropout.MEAN).toFloats()));
    double[] mean = a.get(McDropout.MEAN).toDoubles();
    double[] h = a.get(McDropout.ENTROPY).toDoubles();
    double[] mi = a.get(McDropout.MUTUAL_INFORMATION).toDoubles();
    for (int b = 0; b < BATCH; b++) {
      double sum = 0;
      double entropy = 0;
      for (int c = 0; c < CLASSES; c++) {
        double p = mean[b * CLASSES + c];
        sum += p;
        entropy -= p * Math.log(p);
      }
      assertEquals(1, sum, 1e-5, "mean row " + b + " sums to 1");
      assertEquals(entropy, h[b], 1e-4, "entropy of row " + b);
      assertTrue(mi[b] >= -1e-5 && mi[b] <= h[b] + 1e-5, "mutual information " + mi[b] + " in [0, H]");
    }
  }

  @Test
  void onnxExportDrawsItsOwnMasksAndAgreesInDistribution() {
    Graph mc = McDropout.graph(model().graph(), "x", "output", T);
    Map<String, HostTensor> tf = McDropout.run(TensorFlowBackend.instance(), mc, "x", input(), 1);
    byte[] onnx = OnnxExporter.export(mc, ExportOptions.defaults().keepDropout(true)).toByteArray();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      assertEquals(1, m.inputs().size(), "only x is an input of the ONNX model: " + m.inputs());
      Map<String, HostTensor> ort = m.run(Map.of("x", input()));
      double[] a = tf.get(McDropout.MEAN).toDoubles();
      double[] b = ort.get(McDropout.MEAN).toDoubles();
      double[] var = tf.get(McDropout.VARIANCE).toDoubles();
      for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 5 * Math.sqrt(2 * var[i] / T) + 1e-4, "mean probability " + i);
      double[] vt = tf.get(McDropout.VARIANCE).toDoubles();
      double[] vo = ort.get(McDropout.VARIANCE).toDoubles();
      for (int i = 0; i < vt.length; i++) assertEquals(vt[i], vo[i], 0.5 * vt[i] + 1e-4, "variance " + i);  // inference form: ~0
      assertFalse(java.util.Arrays.equals(ort.get(McDropout.MEAN).toFloats(), m.run(Map.of("x", input())).get(McDropout.MEAN).toFloats()),
          "ONNX Runtime draws new masks on each run");
    }
    // The plain export keeps its inference form: dropout off, no step input.
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(model().graph()).toByteArray())) {
      assertEquals(1, m.inputs().size());
    }
  }

  @Test
  void refusesAGraphWithoutDropout() {
    Model plain = Model.build("plain", 1, m -> m.input("x", F32, "batch", 6).linear("fc", 3));
    KilnException e = assertThrows(KilnException.class, () -> McDropout.graph(plain.graph(), "x", "output", 8));
    assertTrue(e.getMessage().contains("no training-form dropout"), e.getMessage());
  }

  private static double[] softmax(double[] logits) {
    double[] p = new double[logits.length];
    for (int b = 0; b < BATCH; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) max = Math.max(max, logits[b * CLASSES + c]);
      double z = 0;
      for (int c = 0; c < CLASSES; c++) z += Math.exp(logits[b * CLASSES + c] - max);
      for (int c = 0; c < CLASSES; c++) p[b * CLASSES + c] = Math.exp(logits[b * CLASSES + c] - max) / z;
    }
    return p;
  }
}
