package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dataset with several named feature tensors keeps their rows aligned through shuffles, subsets and splits. */
class NamedInputsTest {
  /** Example i has a = [i, i], b = [10 i], label i. */
  static Dataset data(int n) {
    float[] a = new float[2 * n];
    float[] b = new float[n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      a[2 * i] = i;
      a[2 * i + 1] = i;
      b[i] = 10 * i;
      y[i] = i;
    }
    Map<String, HostTensor> in = new LinkedHashMap<>();
    in.put("a", HostTensor.ofFloats(a, n, 2));
    in.put("b", HostTensor.ofFloats(b, n, 1));
    return Dataset.of(in, HostTensor.ofLongs(y, n));
  }

  static void aligned(Batch batch) {
    float[] a = batch.features("a").toFloats();
    float[] b = batch.features("b").toFloats();
    for (int k = 0; k < batch.size(); k++) {
      long y = batch.labels().getLong(k);
      assertEquals(y, a[2 * k]);
      assertEquals(10 * y, b[k]);
    }
  }

  @Test
  void shuffledBatchesSubsetsAndSplitsKeepEveryInputAligned() {
    Dataset d = data(23);
    assertEquals(List.of("a", "b"), d.inputNames());
    int seen = 0;
    for (Batch b : d.batches(5, true, 7)) {
      assertEquals(List.of("a", "b"), b.inputNames());
      assertEquals(b.size(), b.featureRows("a").count());
      aligned(b);
      seen += b.size();
    }
    assertEquals(23, seen);
    for (Batch b : d.batches(4, false, 0)) aligned(b);
    for (Dataset part : d.split(0.3, 5)) for (Batch b : part.batches(100, false, 0)) aligned(b);
    Dataset sub = d.subset(new int[] {4, 2});
    assertArrayEquals(new float[] {40, 20}, sub.features("b").toFloats());
    for (Batch b : d.withWeightedSampling(d.classBalancedWeights(), 1).batches(6, 2)) aligned(b);
  }

  @Test
  void askingForTheOnlyFeaturesOfANamedMultiInputDatasetNamesItsInputs() {
    KilnException e = assertThrows(KilnException.class, () -> data(3).features());
    assertEquals("the dataset has several inputs [a, b]: use features(name)", e.getMessage());
    assertThrows(KilnException.class, () -> Dataset.of(Map.of("a", HostTensor.ofFloats(new float[] {1, 2}, 2)),
        HostTensor.ofLongs(new long[] {1, 2, 3}, 3)));
  }
}
