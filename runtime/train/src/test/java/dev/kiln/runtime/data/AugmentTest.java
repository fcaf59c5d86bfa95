package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Augmentations on hand-made image batches: exact mirrors and shifts, noise statistics, seeding. */
class AugmentTest {
  /** [n, c, h, w] images with pixel value 1000*n + 100*c + 10*y + x (distinct, readable). */
  static HostTensor images(int n, int c, int h, int w) {
    float[] v = new float[n * c * h * w];
    int i = 0;
    for (int a = 0; a < n; a++) for (int b = 0; b < c; b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
      v[i++] = 1000 * a + 100 * b + 10 * y + x;
    }
    return HostTensor.ofFloats(v, n, c, h, w);
  }

  static Batch batch(HostTensor f) {
    long[] y = new long[(int) f.shape()[0]];
    return new Batch(f, HostTensor.ofLongs(y, y.length));
  }

  @Test void flipWithCertaintyMirrorsEveryRow() {
    Batch b = batch(images(2, 2, 2, 3));
    float[] out = Augment.randomHorizontalFlip(1).apply(b, new SplittableRandom(1)).features().toFloats();
    // Row [0, 1, 2] of image 0 channel 0 becomes [2, 1, 0]; row [1110, 1111, 1112] becomes [1112, 1111, 1110].
    assertArrayEquals(new float[] {2, 1, 0}, java.util.Arrays.copyOfRange(out, 0, 3));
    assertArrayEquals(new float[] {1112, 1111, 1110}, java.util.Arrays.copyOfRange(out, 21, 24));
    assertArrayEquals(b.features().bytes(),
        Augment.randomHorizontalFlip(0).apply(b, new SplittableRandom(1)).features().bytes(), "p = 0 is identity");
  }

  @Test void flipAtHalfFlipsSomeImagesWhole() {
    Batch b = batch(images(200, 1, 2, 2));
    float[] in = b.features().toFloats();
    float[] out = Augment.randomHorizontalFlip(0.5).apply(b, new SplittableRandom(4)).features().toFloats();
    int flipped = 0;
    for (int n = 0; n < 200; n++) {
      int o = n * 4;
      boolean same = out[o] == in[o] && out[o + 1] == in[o + 1] && out[o + 2] == in[o + 2] && out[o + 3] == in[o + 3];
      boolean mirror = out[o] == in[o + 1] && out[o + 1] == in[o] && out[o + 2] == in[o + 3] && out[o + 3] == in[o + 2];
      assertTrue(same ^ mirror, "image " + n + " is either kept or mirrored");
      if (mirror) flipped++;
    }
    assertTrue(flipped > 60 && flipped < 140, "about half flipped: " + flipped);
  }

  @Test void cropIsAZeroFilledShiftWithinThePadding() {
    int h = 4;
    int w = 5;
    Batch b = batch(images(50, 2, h, w));
    float[] in = b.features().toFloats();
    float[] out = Augment.randomCrop(2).apply(b, new SplittableRandom(8)).features().toFloats();
    List<String> shifts = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      String found = null;
      for (int dy = -2; dy <= 2 && found == null; dy++) {
        for (int dx = -2; dx <= 2 && found == null; dx++) {
          if (isShift(in, out, n, 2, h, w, dy, dx)) found = dy + "," + dx;
        }
      }
      assertTrue(found != null, "image " + n + " is a shift of its input by at most 2");
      shifts.add(found);
    }
    assertTrue(shifts.stream().distinct().count() > 5, "offsets vary: " + shifts);
    assertArrayEquals(b.features().bytes(), Augment.randomCrop(0).apply(b, new SplittableRandom(8)).features().bytes());
  }

  private static boolean isShift(float[] in, float[] out, int n, int c, int h, int w, int dy, int dx) {
    for (int ch = 0; ch < c; ch++) {
      int base = (n * c + ch) * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int sy = y + dy;
          int sx = x + dx;
          float want = sy >= 0 && sy < h && sx >= 0 && sx < w ? in[base + sy * w + sx] : 0f;
          if (out[base + y * w + x] != want) return false;
        }
      }
    }
    return true;
  }

  @Test void gaussianNoiseHasTheRequestedSpread() {
    HostTensor zeros = HostTensor.ofFloats(new float[40000], 100, 400);
    float[] v = Augment.gaussianNoise(0.5).apply(batch(zeros), new SplittableRandom(2)).features().toFloats();
    double mean = 0;
    for (float x : v) mean += x;
    mean /= v.length;
    double var = 0;
    for (float x : v) var += (x - mean) * (x - mean);
    var /= v.length;
    assertEquals(0, mean, 0.02);
    assertEquals(0.25, var, 0.01);
  }

  @Test void mappedDatasetReplaysAugmentationBySeed() {
    Dataset d = new Dataset(images(10, 1, 3, 3), HostTensor.ofLongs(new long[10], 10))
        .map(Augment.randomHorizontalFlip(0.5).then(Augment.randomCrop(1)).then(Augment.gaussianNoise(0.1)));
    List<byte[]> a = new ArrayList<>();
    for (Batch b : d.batches(4, true, 21)) a.add(b.features().bytes());
    List<byte[]> again = new ArrayList<>();
    for (Batch b : d.batches(4, true, 21)) again.add(b.features().bytes());
    assertEquals(3, a.size());
    for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), again.get(i));
    byte[] other = d.batches(4, true, 22).iterator().next().features().bytes();
    assertTrue(!java.util.Arrays.equals(a.get(0), other));
    // Splits are plain: no augmentation on the validation side.
    Dataset.Split s = d.kFold(2, 0).get(0);
    Batch v = s.validation().batches(10, false, 0).iterator().next();
    assertArrayEquals(s.validation().features().bytes(), v.features().bytes());
  }

  @Test void imageAugmentationsRefuseFlatFeatures() {
    Batch flat = batch(HostTensor.ofFloats(new float[6], 2, 3));
    KilnException e = assertThrows(KilnException.class,
        () -> Augment.randomCrop(1).apply(flat, new SplittableRandom(0)));
    assertTrue(e.getMessage().contains("[N, C, H, W]"), e.getMessage());
    assertThrows(KilnException.class, () -> Augment.randomHorizontalFlip(1.5));
  }
}
