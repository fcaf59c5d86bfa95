package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Fashion-MNIST files (Debian package dataset-fashion-mnist, installed in CI). Expected
 * values are published facts about the data set: 60000/10000 examples, 6000/1000 per class, mean
 * training pixel intensity 0.2860, first training label 9 (ankle boot).
 */
class FashionMnistTest {
  private static FashionMnist data;

  @BeforeAll static void load() {
    data = FashionMnist.load(FashionMnist.DEFAULT_DIR);
  }

  @Test void sizesShapesAndTypes() {
    assertEquals(60000, data.train().size());
    assertEquals(10000, data.test().size());
    assertArrayEquals(new long[] {60000, 784}, data.train().features().shape());
    assertEquals(DType.F32, data.train().features().dtype());
    assertEquals(DType.I64, data.train().labels().dtype());
    assertArrayEquals(new long[] {10000}, data.test().labels().shape());
    assertEquals(10, data.classNames().size());
    assertEquals("Ankle boot", data.classNames().get(9));
  }

  @Test void labelsAreBalancedClassIds() {
    data.train().checkLabels(10);
    data.test().checkLabels(10);
    int[] train = new int[10];
    for (long y : data.train().labelValues()) train[(int) y]++;
    int[] test = new int[10];
    for (long y : data.test().labelValues()) test[(int) y]++;
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, train[c], "train class " + c);
      assertEquals(1000, test[c], "test class " + c);
    }
    assertEquals(9, data.train().labelValues()[0]);
  }

  @Test void pixelsAreScaledWithTheKnownMean() {
    FloatBuffer f = data.train().features().buffer().asFloatBuffer();
    double sum = 0;
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (int i = 0; i < f.limit(); i++) {
      float v = f.get(i);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0.2860, sum / f.limit(), 5e-4);
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test void imagesLayoutHoldsTheSamePixels() {
    FashionMnist images = FashionMnist.load(FashionMnist.DEFAULT_DIR, true);
    HostTensor f = images.test().features();
    assertArrayEquals(new long[] {10000, 1, 28, 28}, f.shape());
    assertArrayEquals(data.test().features().bytes(), f.bytes());
  }

  @Test void firstExamplesOfTheTrainingSplitAreLoadsFirstRows() {
    Dataset first = FashionMnist.train(FashionMnist.DEFAULT_DIR, false, 1000);
    assertEquals(1000, first.size());
    assertArrayEquals(new long[] {1000, 784}, first.features().shape());
    int[] rows = new int[1000];
    for (int i = 0; i < rows.length; i++) rows[i] = i;
    Dataset expected = data.train().subset(rows);
    assertArrayEquals(expected.features().bytes(), first.features().bytes());
    assertArrayEquals(expected.labelValues(), first.labelValues());
    Dataset all = FashionMnist.train(FashionMnist.DEFAULT_DIR, true, 70000);
    assertArrayEquals(new long[] {60000, 1, 28, 28}, all.features().shape());
    assertArrayEquals(data.train().features().bytes(), all.features().bytes());
    assertThrows(KilnException.class, () -> FashionMnist.train(FashionMnist.DEFAULT_DIR, false, 0));
  }

  @Test void missingFolderSaysWhatToInstall(@TempDir Path tmp) {
    KilnException e = assertThrows(KilnException.class, () -> FashionMnist.load(tmp.resolve("absent")));
    assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
    KilnException empty = assertThrows(KilnException.class, () -> FashionMnist.load(tmp));
    assertTrue(empty.getMessage().contains("train-images-idx3-ubyte"), empty.getMessage());
  }
}
