package dev.kiln.runtime.data;

/** Plane-level pixel arithmetic shared by {@link ImageFolder} and {@link Transforms}: f32 planes of H x W. */
final class Pixels {
  private Pixels() {}

  /**
   * Bilinear resize of one plane with half-pixel centres (PyTorch's {@code interpolate(mode="bilinear",
   * align_corners=False)} without antialiasing): output pixel x samples the source at (x + 0.5) * w / ow - 0.5,
   * clamped to the edge.
   */
  static void resize(float[] src, int srcOff, int h, int w, float[] dst, int dstOff, int oh, int ow) {
    double sy = (double) h / oh;
    double sx = (double) w / ow;
    for (int y = 0; y < oh; y++) {
      double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
      int y0 = (int) fy;
      int y1 = Math.min(y0 + 1, h - 1);
      double ay = fy - y0;
      for (int x = 0; x < ow; x++) {
        double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
        int x0 = (int) fx;
        int x1 = Math.min(x0 + 1, w - 1);
        double ax = fx - x0;
        double top = src[srcOff + y0 * w + x0] * (1 - ax) + src[srcOff + y0 * w + x1] * ax;
        double bottom = src[srcOff + y1 * w + x0] * (1 - ax) + src[srcOff + y1 * w + x1] * ax;
        dst[dstOff + y * ow + x] = (float) (top * (1 - ay) + bottom * ay);
      }
    }
  }

  /** The value at fractional (fy, fx) by bilinear interpolation, 0 outside the plane (zero fill). */
  static double sample(float[] src, int off, int h, int w, double fy, double fx) {
    int y0 = (int) Math.floor(fy);
    int x0 = (int) Math.floor(fx);
    double ay = fy - y0;
    double ax = fx - x0;
    return at(src, off, h, w, y0, x0) * (1 - ay) * (1 - ax) + at(src, off, h, w, y0, x0 + 1) * (1 - ay) * ax
        + at(src, off, h, w, y0 + 1, x0) * ay * (1 - ax) + at(src, off, h, w, y0 + 1, x0 + 1) * ay * ax;
  }

  private static double at(float[] src, int off, int h, int w, int y, int x) {
    return y < 0 || y >= h || x < 0 || x >= w ? 0 : src[off + y * w + x];
  }
}
