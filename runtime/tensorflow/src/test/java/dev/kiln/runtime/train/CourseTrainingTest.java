package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** k-fold cross-validation, training from a weighted sampler, and ReduceLROnPlateau as a trainer schedule, on TensorFlow. */
class CourseTrainingTest {
  /** n examples of 3 classes: x ~ N(0, 1) [n, 4], label = arg-max of (x0, x1, x2 - x3). */
  static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 4; k++) x[i * 4 + k] = (float) r.nextGaussian();
      double[] s = {x[i * 4], x[i * 4 + 1], x[i * 4 + 2] - x[i * 4 + 3]};
      y[i] = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
    }
    return new Dataset(HostTensor.ofFloats(x, n, 4), HostTensor.ofLongs(y, n));
  }

  static Model classifier(long seed) {
    return Model.build("clf", seed, m -> m.linear("fc2", m.linear("fc1", m.input("x", F32, Dim.symbolic("batch"), 4), 16).relu(), 3));
  }

  static TrainerBuilder builder(long seed, double lr) {
    return Trainer.builder(classifier(seed)).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(lr).seed(3).metrics(Metric.accuracy())
        .backend(TensorFlowBackend.instance()).progress(false);
  }

  @Test void crossValidationTrainsOneFreshModelPerFold() {
    Dataset data = blobs(90, 1);
    List<Integer> built = new ArrayList<>();
    CrossValidation.Result r = CrossValidation.run(data, 3, 5, fold -> {
      built.add(fold);
      return builder(100 + fold, 0.05).build();
    }, 5, 16);
    assertEquals(List.of(0, 1, 2), built);
    assertEquals(3, r.folds().size());
    int validated = 0;
    for (CrossValidation.Fold f : r.folds()) {
      assertEquals(90, f.trainSize() + f.validationSize());
      assertEquals(5, f.history().size());
      validated += f.validationSize();
    }
    assertEquals(90, validated, "each example is validated exactly once");
    double[] acc = r.values("accuracy");
    double mean = (acc[0] + acc[1] + acc[2]) / 3;
    assertEquals(mean, r.mean("accuracy"), 1e-12);
    double ss = 0;
    for (double a : acc) ss += (a - mean) * (a - mean);
    assertEquals(Math.sqrt(ss / 2), r.std("accuracy"), 1e-12);
    assertTrue(mean > 0.6, "the folds learn: " + r.table());
    String table = r.table();
    assertTrue(table.contains("val_accuracy") && table.contains("mean") && table.contains("std"), table);
  }

  @Test void fitFromAWeightedSamplerDrawsByWeight() {
    Dataset data = blobs(64, 2);
    // Only class-2 examples have weight: every step sees class 2 only, so the model learns to predict 2 everywhere.
    long[] y = data.labelValues();
    double[] w = new double[y.length];
    for (int i = 0; i < y.length; i++) w[i] = y[i] == 2 ? 1 : 0;
    long[] steps = {0};
    TrainingCallback count = new TrainingCallback() {
      @Override public void onStepEnd(Trainer trainer, long step, double loss) { steps[0]++; }
    };
    try (Trainer t = builder(7, 0.05).callbacks(count).build()) {
      History h = t.fit(data.withWeightedSampling(w, 9), null, 3, 16);
      assertEquals(3 * 4, steps[0], "an epoch is as many draws as examples");
      assertTrue(h.column("accuracy")[2] > 0.95, "training batches hold class 2 only: " + h);
      long[] pred = Metrics.argmax(t.predict(data.features()));
      long twos = java.util.Arrays.stream(pred).filter(p -> p == 2).count();
      assertTrue(twos >= 60, twos + " of 64 predicted class 2");
    }
  }

  @Test void reduceLrOnPlateauLowersTheRateTheTrainerFeeds() {
    // Relative threshold 0.9: only a loss below a tenth of the best counts as better, so after the first epoch
    // every epoch is a plateau; patience 0 lowers the rate after each.
    ReduceLROnPlateau plateau = new ReduceLROnPlateau("loss", 0.01).patience(0).factor(0.5).threshold(0.9, true);
    try (Trainer t = builder(8, 0.01).schedule(plateau).build()) {
      History h = t.fit(blobs(32, 3), null, 4, 16);
      assertArrayEquals(new double[] {0.01, 0.01, 0.005, 0.0025}, h.column("lr"), 1e-12);
      assertEquals(0.00125, plateau.current(), 1e-12);
    }
  }
}
