package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The image transforms on small hand-checked images; the random ones for reproducibility and invariants. */
class TransformsTest {
  private static HostTensor apply(Augment a, HostTensor x, long seed) {
    return a.apply(new Batch(x, HostTensor.ofLongs(new long[(int) x.shape()[0]], x.shape()[0])), new SplittableRandom(seed)).features();
  }

  @Test void resizeIsBilinearWithHalfPixelCentres() {
    HostTensor x = HostTensor.ofFloats(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);
    HostTensor y = apply(Transforms.resize(4, 4), x, 0);
    assertArrayEquals(new long[] {1, 1, 4, 4}, y.shape());
    // As torch.nn.functional.interpolate(x, size=4, mode="bilinear", align_corners=False) gives.
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3},
        y.toFloats(), 1e-6f);
    assertArrayEquals(new float[] {1.5f}, apply(Transforms.resize(1, 1), x, 0).toFloats(), 1e-6f);
  }

  @Test void greyToRgbNormalizeAndCentreCropCompose() {
    HostTensor x = HostTensor.ofFloats(new float[] {0, 0.5f, 1, 0.25f, 0.75f, 1, 0, 0, 0.5f}, 1, 3, 3);
    Augment a = Transforms.greyToRgb().then(Transforms.centerCrop(1, 1))
        .then(Transforms.normalize(new double[] {0.5, 0.25, 0}, new double[] {0.5, 0.25, 2}));
    HostTensor y = apply(a, x, 0);
    assertArrayEquals(new long[] {1, 3, 1, 1}, y.shape());
    // The centre pixel 0.75 in every channel: (0.75-0.5)/0.5, (0.75-0.25)/0.25, 0.75/2.
    assertArrayEquals(new float[] {0.5f, 2, 0.375f}, y.toFloats(), 1e-6f);
    KilnException e = assertThrows(KilnException.class, () -> apply(Transforms.normalize(new double[] {0, 0}, new double[] {1, 1}), x, 0));
    assertTrue(e.getMessage().contains("2 means for images of 1 channels"), e.getMessage());
    e = assertThrows(KilnException.class, () -> apply(Transforms.centerCrop(4, 1), x, 0));
    assertTrue(e.getMessage().contains("does not fit images of 3 x 3"), e.getMessage());
  }

  @Test void rotateByNinetyDegreesIsCounterClockwise() {
    HostTensor x = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, apply(Transforms.rotate(90), x, 0).toFloats(), 1e-5f);
    // 45 degrees: the centre stays; the top-left corner samples the source at (y, x) = (1 - sqrt 2, 1), part
    // outside (zero fill): (sqrt 2 - 1) * 0 + (2 - sqrt 2) * 2.
    float[] r45 = apply(Transforms.rotate(45), x, 0).toFloats();
    assertEquals(5, r45[4], 1e-5);
    assertEquals((2 - Math.sqrt(2)) * 2, r45[0], 1e-5);
  }

  @Test void randomCropIsAWindowAndReplaysWithTheSeed() {
    float[] v = new float[2 * 5 * 5];
    for (int i = 0; i < v.length; i++) v[i] = i;
    HostTensor x = HostTensor.ofFloats(v, 2, 1, 5, 5);
    HostTensor a = apply(RandomTransforms.randomCrop(2, 3), x, 7);
    assertArrayEquals(a.toFloats(), apply(RandomTransforms.randomCrop(2, 3), x, 7).toFloats());
    float[] c = a.toFloats();
    for (int n = 0; n < 2; n++) {
      int o = n * 6;
      // A window of a ramp: +1 along a row, +5 down a column, inside image n.
      assertEquals(c[o] + 1, c[o + 1]);
      assertEquals(c[o] + 2, c[o + 2]);
      assertEquals(c[o] + 5, c[o + 3]);
      assertTrue(c[o] >= n * 25 && c[o + 5] < (n + 1) * 25, "window inside image " + n);
    }
  }

  @Test void colourJitterKeepsGreyGreyAndFlatImagesFlat() {
    float[] v = new float[3 * 4];
    for (int i = 0; i < 4; i++) v[i] = v[4 + i] = v[8 + i] = 0.1f * (i + 1);
    HostTensor grey = HostTensor.ofFloats(v, 1, 3, 2, 2);
    float[] j = apply(RandomTransforms.colorJitter(0.5, 0.5, 0.5), grey, 3).toFloats();
    assertArrayEquals(j, apply(RandomTransforms.colorJitter(0.5, 0.5, 0.5), grey, 3).toFloats(), "seeded");
    for (int i = 0; i < 4; i++) {
      assertEquals(j[i], j[4 + i], 1e-6, "saturation leaves a grey pixel grey");
      assertEquals(j[i], j[8 + i], 1e-6);
    }
    // Brightness alone scales every pixel by one factor in [0.5, 1.5].
    float[] b = apply(RandomTransforms.colorJitter(0.5, 0, 0), grey, 9).toFloats();
    double f = b[0] / v[0];
    assertTrue(f >= 0.5 && f <= 1.5, "factor " + f);
    for (int i = 0; i < 12; i++) assertEquals(v[i] * f, b[i], 1e-6);
    assertThrows(KilnException.class, () -> apply(RandomTransforms.colorJitter(0, 0, 0.2), HostTensor.ofFloats(new float[4], 1, 2, 2), 0));
  }

  @Test void randomRotationReplaysWithTheSeedAndZeroIsIdentity() {
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) v[i] = i;
    HostTensor x = HostTensor.ofFloats(v, 1, 4, 4);
    assertArrayEquals(v, apply(RandomTransforms.randomRotation(0), x, 1).toFloats(), 1e-5f);
    assertArrayEquals(apply(RandomTransforms.randomRotation(30), x, 5).toFloats(), apply(RandomTransforms.randomRotation(30), x, 5).toFloats());
  }
}
