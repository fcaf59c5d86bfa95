package dev.kiln.spec.op;

import dev.kiln.spec.ir.Attrs;

/**
 * The interpolation of one axis of {@code Resize}, computed on the host for static sizes: for every output
 * position its source coordinate (by coordinate_transformation_mode), and from it the source indices and
 * weights of its taps (1 for nearest, 2 for linear, 4 for cubic), indices clamped to the axis as ONNX's edge
 * padding does. {@code outside[o]} marks positions outside the input in tf_crop_and_resize mode, which take
 * extrapolation_value. The same arithmetic as {@link TfResize}, which does it in TF ops for run-time sizes.
 *
 * @param index index[k][o]: the source index of tap k of output position o
 * @param weight weight[k][o]: its weight
 * @param outside whether output position o lies outside the input (tf_crop_and_resize only)
 */
public record ResizeTaps(long[][] index, double[][] weight, boolean[] outside) {
  /**
   * The taps of an axis of size {@code in} resized to {@code out} with {@code scale} (the given scale, or
   * out / in when sizes were given; {@code fromSizes} says which) and, for tf_crop_and_resize, the roi
   * {@code start..end} of the axis.
   */
  public static ResizeTaps of(long in, long out, double scale, boolean fromSizes, double start, double end, Attrs a) {
    String mode = a.getString("mode");
    int taps = mode.equals("nearest") ? 1 : mode.equals("linear") ? 2 : 4;
    long[][] index = new long[taps][(int) out];
    double[][] weight = new double[taps][(int) out];
    boolean[] outside = new boolean[(int) out];
    String ctm = a.getString("coordinate_transformation_mode");
    // NOTE: align_corners and pytorch_half_pixel use the resized length in * scale unrounded, as ONNX's
    // reference does (ONNX Runtime rounds it down first, so they differ for scales like 0.6).
    double len = fromSizes ? out : in * scale;
    for (int o = 0; o < out; o++) {
      double xo = switch (ctm) {
        case "half_pixel" -> (o + 0.5) / scale - 0.5;
        case "pytorch_half_pixel" -> len > 1 ? (o + 0.5) / scale - 0.5 : 0;
        case "align_corners" -> len != 1 ? o * (double) (in - 1) / (len - 1) : 0;
        case "asymmetric" -> o / scale;
        case "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
        case "tf_crop_and_resize" -> out > 1 ? start * (in - 1) + o * (end - start) * (in - 1) / (out - 1) : 0.5 * (start + end) * (in - 1);
        default -> throw new IllegalStateException("coordinate_transformation_mode " + ctm);
      };
      outside[o] = ctm.equals("tf_crop_and_resize") && (xo < 0 || xo > in - 1);
      double x0 = Math.floor(xo);
      double t = xo - x0;
      switch (mode) {
        case "nearest" -> {
          double idx = switch (a.getString("nearest_mode")) {
            case "round_prefer_floor" -> Math.ceil(xo - 0.5);
            case "round_prefer_ceil" -> Math.floor(xo + 0.5);
            case "floor" -> x0;
            default -> Math.ceil(xo);
          };
          index[0][o] = clamp(idx, in);
          weight[0][o] = 1;
        }
        case "linear" -> {
          index[0][o] = clamp(x0, in);
          index[1][o] = clamp(x0 + 1, in);
          weight[0][o] = 1 - t;
          weight[1][o] = t;
        }
        default -> {
          double aa = a.getDouble("cubic_coeff_a");
          double[] w = {far(t + 1, aa), near(t, aa), near(1 - t, aa), far(2 - t, aa)};
          double sum = 0;
          for (int k = 0; k < 4; k++) {
            double tap = x0 + k - 1;
            if (a.getBool("exclude_outside") && (tap < 0 || tap > in - 1)) w[k] = 0;
            sum += w[k];
          }
          for (int k = 0; k < 4; k++) {
            index[k][o] = clamp(x0 + k - 1, in);
            weight[k][o] = a.getBool("exclude_outside") ? w[k] / sum : w[k];
          }
        }
      }
    }
    return new ResizeTaps(index, weight, outside);
  }

  /** Keys' cubic kernel for distances in [0, 1]. */
  static double near(double d, double a) { return ((a + 2) * d - (a + 3)) * d * d + 1; }

  /** Keys' cubic kernel for distances in [1, 2]. */
  static double far(double d, double a) { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a; }

  private static long clamp(double idx, long in) { return (long) Math.max(0, Math.min(in - 1, idx)); }
}
