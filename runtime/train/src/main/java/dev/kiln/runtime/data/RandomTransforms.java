package dev.kiln.runtime.data;

import dev.kiln.spec.KilnException;

/**
 * Seeded random image augmentations, drawn per image from the batch stream {@link Dataset#map} hands in (the
 * same seed replays them). Layout and value range as in {@link Transforms}.
 */
public final class RandomTransforms {
  private RandomTransforms() {}

  /** A {@code height} x {@code width} window of each image at a uniformly random position. */
  public static Augment randomCrop(int height, int width) {
    Transforms.positive("randomCrop", height, width);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "randomCrop");
      Transforms.fits("randomCrop", im, height, width);
      int[] offsets = new int[2 * im.n];
      for (int n = 0; n < im.n; n++) {
        offsets[2 * n] = rng.nextInt(im.h - height + 1);
        offsets[2 * n + 1] = rng.nextInt(im.w - width + 1);
      }
      return new Batch(Transforms.crop(im, height, width, 0, 0, offsets), b.labels());
    };
  }

  /** Rotates each image by an angle uniform in [-maxDegrees, maxDegrees] (counter-clockwise positive, zero fill). */
  public static Augment randomRotation(double maxDegrees) {
    if (!(maxDegrees >= 0 && maxDegrees <= 180)) throw new KilnException("rotation range must be in [0, 180] degrees, got " + maxDegrees);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "randomRotation");
      float[] out = new float[im.data.length];
      for (int n = 0; n < im.n; n++) Transforms.rotate(im, n, Math.toRadians((2 * rng.nextDouble() - 1) * maxDegrees), out);
      return new Batch(im.tensor(out), b.labels());
    };
  }

  /**
   * Colour jitter as torchvision's {@code ColorJitter} defines the three adjustments, with factors uniform in
   * [max(0, 1 - s), 1 + s] per image: brightness scales the pixels, contrast blends each image with its mean
   * grey level, saturation (3 channels only) blends each pixel with its grey value (ITU-R 601 luma weights);
   * applied in that fixed order (torchvision shuffles it) and clamped to [0, 1].
   */
  public static Augment colorJitter(double brightness, double contrast, double saturation) {
    for (double s : new double[] {brightness, contrast, saturation}) {
      if (!(s >= 0)) throw new KilnException("colour jitter strengths must be non-negative, got " + s);
    }
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "colorJitter");
      if (saturation > 0 && im.c != 3) throw new KilnException("colorJitter's saturation needs 3-channel images, found " + im.c);
      if (contrast > 0 && im.c != 1 && im.c != 3) throw new KilnException("colorJitter's contrast needs 1 or 3 channels, found " + im.c);
      float[] out = im.data.clone();
      int plane = im.h * im.w;
      for (int n = 0; n < im.n; n++) {
        int base = n * im.c * plane;
        int len = im.c * plane;
        double fb = factor(rng, brightness);
        double fc = factor(rng, contrast);
        double fs = factor(rng, saturation);
        for (int i = base; i < base + len; i++) out[i] = clamp(out[i] * fb);
        if (fc != 1) {
          double mean = 0;
          for (int i = 0; i < plane; i++) mean += grey(out, base, plane, im.c, i);
          mean /= plane;
          for (int i = base; i < base + len; i++) out[i] = clamp(mean + (out[i] - mean) * fc);
        }
        if (fs != 1) {
          for (int i = 0; i < plane; i++) {
            double g = grey(out, base, plane, 3, i);
            for (int ch = 0; ch < 3; ch++) {
              int k = base + ch * plane + i;
              out[k] = clamp(g + (out[k] - g) * fs);
            }
          }
        }
      }
      return new Batch(im.tensor(out), b.labels());
    };
  }

  private static double factor(java.util.SplittableRandom rng, double strength) {
    if (strength == 0) return 1;
    double lo = Math.max(0, 1 - strength);
    return lo + rng.nextDouble() * (1 + strength - lo);
  }

  /** Pixel i's grey level: itself for one channel, 0.299 R + 0.587 G + 0.114 B for three. */
  private static double grey(float[] v, int base, int plane, int c, int i) {
    if (c == 1) return v[base + i];
    return 0.299 * v[base + i] + 0.587 * v[base + plane + i] + 0.114 * v[base + 2 * plane + i];
  }

  private static float clamp(double x) { return (float) Math.min(1, Math.max(0, x)); }
}
