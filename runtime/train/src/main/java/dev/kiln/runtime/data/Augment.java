package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.SplittableRandom;

/**
 * A seeded per-batch transformation of host buffers, for data augmentation. The random source is
 * handed in (see {@link Dataset#map}), so the same seed replays the same augmentations. Image
 * augmentations expect f32 features of rank 3 or more whose last two axes are height and width
 * ([N, C, H, W] or [N, H, W]); labels pass through unchanged.
 */
@FunctionalInterface
public interface Augment {
  /** The transformed batch; must not modify {@code batch}'s buffers (they are read-only). */
  Batch apply(Batch batch, SplittableRandom rng);

  /** This augmentation, then {@code next}. */
  default Augment then(Augment next) {
    return (b, rng) -> next.apply(apply(b, rng), rng);
  }

  /** Mirrors each image left-right with probability {@code p}. */
  static Augment randomHorizontalFlip(double p) {
    if (!(p >= 0 && p <= 1)) throw new KilnException("flip probability must be in [0, 1], got " + p);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "randomHorizontalFlip");
      float[] out = im.data.clone();
      for (int n = 0; n < im.n; n++) {
        if (rng.nextDouble() >= p) continue;
        for (int plane = n * im.c; plane < (n + 1) * im.c; plane++) {
          for (int y = 0; y < im.h; y++) {
            int row = (plane * im.h + y) * im.w;
            for (int x = 0; x < im.w; x++) out[row + x] = im.data[row + im.w - 1 - x];
          }
        }
      }
      return new Batch(im.tensor(out), b.labels());
    };
  }

  /**
   * Pads each image by {@code padding} zeros on every side and crops back to the original size at a
   * random offset: a shift by (dy, dx) in [-padding, padding]² with zero fill, the same for all channels.
   */
  static Augment randomCrop(int padding) {
    if (padding < 0) throw new KilnException("crop padding must be non-negative, got " + padding);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "randomCrop");
      float[] out = new float[im.data.length];
      for (int n = 0; n < im.n; n++) {
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        for (int plane = n * im.c; plane < (n + 1) * im.c; plane++) {
          int base = plane * im.h * im.w;
          for (int y = 0; y < im.h; y++) {
            int sy = y + dy;
            if (sy < 0 || sy >= im.h) continue;
            for (int x = 0; x < im.w; x++) {
              int sx = x + dx;
              if (sx >= 0 && sx < im.w) out[base + y * im.w + x] = im.data[base + sy * im.w + sx];
            }
          }
        }
      }
      return new Batch(im.tensor(out), b.labels());
    };
  }

  /** Adds independent N(0, std²) noise to every f32 feature (any rank). */
  static Augment gaussianNoise(double std) {
    if (!(std >= 0)) throw new KilnException("noise std must be non-negative, got " + std);
    return (b, rng) -> {
      HostTensor f = b.features();
      if (f.dtype() != DType.F32) throw new KilnException("gaussianNoise needs f32 features, found " + f.dtype());
      float[] v = ImageBatch.floats(f);
      for (int i = 0; i < v.length; i++) v[i] += (float) (std * gaussian(rng));
      return new Batch(HostTensor.ofFloats(v, f.shape()), b.labels());
    };
  }

  /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
