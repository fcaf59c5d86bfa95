package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** k-fold, stratified split, weighted sampling, normalisation and label checks. */
class DatasetSplitsTest {
  /** n examples whose single feature is the example's index, labels given. */
  static Dataset indexed(long[] labels) {
    float[] f = new float[labels.length];
    for (int i = 0; i < f.length; i++) f[i] = i;
    return new Dataset(HostTensor.ofFloats(f, labels.length, 1), HostTensor.ofLongs(labels, labels.length));
  }

  static int[] ids(Dataset d) {
    float[] f = d.features().toFloats();
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
    return out;
  }

  @Test void kFoldCoversEveryExampleOnceAsValidation() {
    Dataset d = indexed(new long[23]);
    List<Dataset.Split> folds = d.kFold(5, 11);
    assertEquals(5, folds.size());
    int[] seen = new int[23];
    for (Dataset.Split s : folds) {
      int[] val = ids(s.validation());
      int[] train = ids(s.train());
      assertEquals(23, val.length + train.length);
      assertTrue(val.length == 4 || val.length == 5, "fold sizes differ by at most one: " + val.length);
      boolean[] inVal = new boolean[23];
      for (int v : val) {
        seen[v]++;
        inVal[v] = true;
      }
      for (int t : train) assertTrue(!inVal[t], "example " + t + " in both sides");
    }
    for (int i = 0; i < 23; i++) assertEquals(1, seen[i], "example " + i);
    assertArrayEquals(ids(folds.get(2).validation()), ids(d.kFold(5, 11).get(2).validation()), "same seed, same folds");
    assertThrows(KilnException.class, () -> d.kFold(1, 0));
    assertThrows(KilnException.class, () -> d.kFold(24, 0));
  }

  @Test void stratifiedSplitKeepsClassProportions() {
    long[] y = new long[100];
    for (int i = 0; i < 100; i++) y[i] = i < 80 ? 0 : i < 95 ? 1 : 2; // 80 / 15 / 5
    Dataset.Split s = indexed(y).stratifiedSplit(0.2, 3);
    int[] valCounts = new int[3];
    for (long c : s.validation().labelValues()) valCounts[(int) c]++;
    assertArrayEquals(new int[] {16, 3, 1}, valCounts);
    assertEquals(80, s.train().size());
    // Disjoint and complete.
    int[] all = new int[100];
    for (int i : ids(s.train())) all[i]++;
    for (int i : ids(s.validation())) all[i]++;
    for (int c : all) assertEquals(1, c);
    // Labels travel with their features.
    for (Dataset side : List.of(s.train(), s.validation())) {
      int[] id = ids(side);
      long[] lab = side.labelValues();
      for (int i = 0; i < id.length; i++) assertEquals(y[id[i]], lab[i]);
    }
  }

  @Test void weightedSamplingNeverDrawsZeroWeightsAndFollowsWeights() {
    Dataset d = indexed(new long[] {0, 0, 0, 1});
    WeightedSampler s = d.withWeightedSampling(new double[] {0, 1, 0, 3}, 5);
    int[] draws = s.sample(40000, 0);
    int[] counts = new int[4];
    for (int i : draws) counts[i]++;
    assertEquals(0, counts[0]);
    assertEquals(0, counts[2]);
    // Expected 10000 / 30000; binomial sd ~87, so 600 is about seven sd.
    assertEquals(10000, counts[1], 600);
    assertArrayEquals(draws, s.sample(40000, 0), "seeded");
    assertTrue(!Arrays.equals(draws, s.sample(40000, 1)), "epoch seed varies the draws");
  }

  @Test void classBalancedWeightsEqualiseClasses() {
    long[] y = new long[100];
    for (int i = 90; i < 100; i++) y[i] = 1; // 90 of class 0, 10 of class 1
    Dataset d = indexed(y);
    double[] w = d.classBalancedWeights();
    assertEquals(1.0 / 90, w[0], 1e-15);
    assertEquals(1.0 / 10, w[95], 1e-15);
    WeightedSampler s = d.withWeightedSampling(w, 9);
    int ones = 0;
    int total = 0;
    for (Batch b : s.batches(32, 1000, 0)) {
      assertTrue(b.size() <= 32);
      // Each batch's labels belong to its features' example ids.
      float[] f = b.features().toFloats();
      for (int i = 0; i < b.size(); i++) assertEquals(y[(int) f[i]], b.labels().getLong(i));
      for (long c : b.labels().toLongs()) ones += (int) c;
      total += b.size();
    }
    assertEquals(1000, total);
    // p(class 1) = 0.5: 1000 draws give 500 ± 16 (sd); 100 is about six sd.
    assertEquals(500, ones, 100);
    int epoch = 0;
    for (Batch b : s.batches(32, 7)) epoch += b.size();
    assertEquals(100, epoch, "an epoch is dataset-size draws");
    assertEquals(4, s.batchCount(32));
    assertThrows(KilnException.class, () -> d.withWeightedSampling(new double[3], 0));
    assertThrows(KilnException.class, () -> d.withWeightedSampling(new double[100], 0));
  }

  @Test void normalizePerChannelAndGlobally() {
    // [N=2, C=2, 2] features; channel 0 mean 1 std 2, channel 1 mean -1 std 0.5.
    HostTensor f = HostTensor.ofFloats(new float[] {1, 3, -1, 0, 5, -1, 1, -2}, 2, 2, 2);
    Dataset d = new Dataset(f, HostTensor.ofLongs(new long[] {0, 1}, 2));
    float[] n = d.normalize(new double[] {1, -1}, new double[] {2, 0.5}).features().toFloats();
    assertArrayEquals(new float[] {0, 1, 0, 2, 2, -1, 4, -2}, n);
    float[] g = d.normalize(new double[] {1}, new double[] {2}).features().toFloats();
    assertArrayEquals(new float[] {0, 1, -1, -0.5f, 2, -1, 0, -1.5f}, g);
    assertThrows(KilnException.class, () -> d.normalize(new double[] {0, 0, 0}, new double[] {1, 1, 1}));
    assertThrows(KilnException.class, () -> d.normalize(new double[] {0}, new double[] {0}));
  }

  @Test void checkLabelsNamesTheFirstBadLabel() {
    Dataset d = indexed(new long[] {0, 3, 9, 12, -1});
    KilnException e = assertThrows(KilnException.class, () -> d.checkLabels(10));
    assertTrue(e.getMessage().contains("label 12 at index 3"), e.getMessage());
    indexed(new long[] {0, 3, 9, 12}).checkLabels(13);
    KilnException neg = assertThrows(KilnException.class, () -> indexed(new long[] {0, -1}).checkLabels(2));
    assertTrue(neg.getMessage().contains("label -1 at index 1"), neg.getMessage());
  }
}
