package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;

/**
 * Image transforms as {@link Augment}s, composable with {@link Augment#then} and applied per batch by
 * {@link Dataset#map} (the random ones draw from the batches' seeded stream, so a seed replays them). They
 * take f32 images [N, C, H, W] or [N, H, W] (one channel), values in [0, 1] for the colour ones, and pass
 * labels through. Flips and padded shifts are {@link Augment#randomHorizontalFlip} and
 * {@link Augment#randomCrop(int)}; the random ones here are in {@link RandomTransforms}.
 */
public final class Transforms {
  private Transforms() {}

  /** Bilinear resize of every image to {@code height} x {@code width} (half-pixel centres, no antialiasing). */
  public static Augment resize(int height, int width) {
    positive("resize", height, width);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "resize");
      float[] out = new float[im.n * im.c * height * width];
      for (int p = 0; p < im.n * im.c; p++) Pixels.resize(im.data, p * im.h * im.w, im.h, im.w, out, p * height * width, height, width);
      return new Batch(tensor(out, im, im.c, height, width), b.labels());
    };
  }

  /** The central {@code height} x {@code width} window of every image (which must be at least that big). */
  public static Augment centerCrop(int height, int width) {
    positive("centerCrop", height, width);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "centerCrop");
      fits("centerCrop", im, height, width);
      return new Batch(crop(im, height, width, (im.h - height) / 2, (im.w - width) / 2, null), b.labels());
    };
  }

  /** Grey images ([N, 1, H, W] or [N, H, W]) to RGB [N, 3, H, W], the grey value in each channel; RGB passes. */
  public static Augment greyToRgb() {
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "greyToRgb");
      if (im.c == 3 && im.shape.length == 4) return b;
      if (im.c != 1) throw new KilnException("greyToRgb needs 1 channel, found " + im.c + " in " + b.features().type());
      int plane = im.h * im.w;
      float[] out = new float[im.n * 3 * plane];
      for (int n = 0; n < im.n; n++) {
        for (int ch = 0; ch < 3; ch++) System.arraycopy(im.data, n * plane, out, (n * 3 + ch) * plane, plane);
      }
      return new Batch(tensor(out, im, 3, im.h, im.w), b.labels());
    };
  }

  /** (x - mean[c]) / std[c] per channel c (one mean and std for all channels when given one). */
  public static Augment normalize(double[] mean, double[] std) {
    if (mean.length == 0 || mean.length != std.length) {
      throw new KilnException("normalize needs as many stds as means (at least one): " + mean.length + " vs " + std.length);
    }
    for (double s : std) if (!(s > 0)) throw new KilnException("normalize needs positive stds, got " + s);
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "normalize");
      if (mean.length != 1 && mean.length != im.c) {
        throw new KilnException("normalize has " + mean.length + " means for images of " + im.c + " channels");
      }
      int plane = im.h * im.w;
      float[] out = new float[im.data.length];
      for (int i = 0; i < out.length; i++) {
        int c = mean.length == 1 ? 0 : (i / plane) % im.c;
        out[i] = (float) ((im.data[i] - mean[c]) / std[c]);
      }
      return new Batch(im.tensor(out), b.labels());
    };
  }

  /** Rotates every image by {@code degrees} counter-clockwise about its centre (bilinear, zero fill). */
  public static Augment rotate(double degrees) {
    return (b, rng) -> {
      ImageBatch im = ImageBatch.of(b.features(), "rotate");
      float[] out = new float[im.data.length];
      for (int n = 0; n < im.n; n++) rotate(im, n, Math.toRadians(degrees), out);
      return new Batch(im.tensor(out), b.labels());
    };
  }

  /** Rotates image {@code n} of {@code im} by {@code radians} counter-clockwise into {@code out}. */
  static void rotate(ImageBatch im, int n, double radians, float[] out) {
    double cos = Math.cos(radians);
    double sin = Math.sin(radians);
    double cy = (im.h - 1) / 2.0;
    double cx = (im.w - 1) / 2.0;
    for (int p = n * im.c; p < (n + 1) * im.c; p++) {
      int off = p * im.h * im.w;
      for (int y = 0; y < im.h; y++) {
        for (int x = 0; x < im.w; x++) {
          // NOTE: y grows downwards, so a counter-clockwise turn on screen samples the source turned back.
          double dx = x - cx;
          double dy = y - cy;
          out[off + y * im.w + x] = (float) Pixels.sample(im.data, off, im.h, im.w, cy + dx * sin + dy * cos, cx + dx * cos - dy * sin);
        }
      }
    }
  }

  /** The window at (top, left) of each image; {@code offsets} (2 per image) overrides them when not null. */
  static HostTensor crop(ImageBatch im, int height, int width, int top, int left, int[] offsets) {
    float[] out = new float[im.n * im.c * height * width];
    for (int n = 0; n < im.n; n++) {
      int t = offsets == null ? top : offsets[2 * n];
      int l = offsets == null ? left : offsets[2 * n + 1];
      for (int c = 0; c < im.c; c++) {
        int src = (n * im.c + c) * im.h * im.w;
        int dst = (n * im.c + c) * height * width;
        for (int y = 0; y < height; y++) System.arraycopy(im.data, src + (t + y) * im.w + l, out, dst + y * width, width);
      }
    }
    return tensor(out, im, im.c, height, width);
  }

  static void fits(String op, ImageBatch im, int height, int width) {
    if (height > im.h || width > im.w) {
      throw new KilnException(op + " of " + height + " x " + width + " does not fit images of " + im.h + " x " + im.w);
    }
  }

  static void positive(String op, int height, int width) {
    if (height <= 0 || width <= 0) throw new KilnException(op + " needs a positive size, got " + height + " x " + width);
  }

  /** A tensor of {@code im}'s layout (rank 3 stays rank 3 when it keeps one channel) with new sizes. */
  static HostTensor tensor(float[] v, ImageBatch im, int c, int h, int w) {
    long[] shape = im.shape.length == 3 && c == 1 ? new long[] {im.n, h, w} : new long[] {im.n, c, h, w};
    return HostTensor.ofFloats(v, shape);
  }
}
