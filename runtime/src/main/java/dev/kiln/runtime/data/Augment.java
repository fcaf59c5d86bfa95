package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
      Image im = Image.of(b.features(), "randomHorizontalFlip");
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
      Image im = Image.of(b.features(), "randomCrop");
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
      float[] v = floats(f);
      for (int i = 0; i < v.length; i++) v[i] += (float) (std * gaussian(rng));
      return new Batch(HostTensor.ofFloats(v, f.shape()), b.labels());
    };
  }

  /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** The f32 elements of a tensor, copied. */
  static float[] floats(HostTensor t) {
    float[] v = new float[Math.toIntExact(t.size())];
    t.buffer().asFloatBuffer().get(v);
    return v;
  }

  /** An f32 image batch viewed as N x C planes of H x W (C = 1 for rank 3). */
  final class Image {
    final int n;
    final int c;
    final int h;
    final int w;
    final long[] shape;
    final float[] data;

    private Image(long[] shape, float[] data) {
      this.shape = shape;
      this.data = data;
      int r = shape.length;
      this.n = (int) shape[0];
      this.h = (int) shape[r - 2];
      this.w = (int) shape[r - 1];
      this.c = data.length / Math.max(1, n * h * w);
    }

    static Image of(HostTensor f, String op) {
      if (f.dtype() != DType.F32 || f.rank() < 3) {
        throw new KilnException(op + " needs f32 image features [N, C, H, W] or [N, H, W], found " + f.type());
      }
      return new Image(f.shape(), floats(f));
    }

    HostTensor tensor(float[] v) {
      ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer fb = b.asFloatBuffer();
      fb.put(v);
      return HostTensor.ofBuffer(DType.F32, shape, b);
    }
  }
}
