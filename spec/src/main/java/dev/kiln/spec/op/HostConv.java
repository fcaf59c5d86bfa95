package dev.kiln.spec.op;

import java.util.Arrays;

/**
 * A plain-Java reference convolution, in f64, for checking back-end kernels against (Kiln's known-answer
 * self-checks and the convolution sweep). Layout is canonical, channels first: x {@code [N, C, *S]},
 * w {@code [O, C/group, *K]}, y {@code [N, O, *Y]}, row-major. Pads are per spatial axis, begins then
 * ends, and may be negative (a crop). The three products share one loop nest: the forward pass, the
 * gradient of x (a transposed convolution) and the gradient of w each add {@code a * b} for every
 * (output cell, input cell, kernel cell) triple the window connects.
 *
 * @param n batch size
 * @param c input channels
 * @param o output channels
 * @param group channel groups (C and O divisible by it)
 * @param in input spatial sizes
 * @param kernel kernel spatial sizes
 * @param strides per spatial axis
 * @param dilations per spatial axis
 * @param pads begins then ends, per spatial axis
 */
public record HostConv(int n, int c, int o, int group, int[] in, int[] kernel, int[] strides, int[] dilations, int[] pads) {

  public HostConv {
    int r = in.length;
    if (kernel.length != r || strides.length != r || dilations.length != r || pads.length != 2 * r) {
      throw new IllegalArgumentException("geometry lengths disagree with " + r + " spatial axes");
    }
    if (group < 1 || c % group != 0 || o % group != 0) {
      throw new IllegalArgumentException("channels " + c + " -> " + o + " do not split into " + group + " groups");
    }
  }

  /** Output spatial sizes: floor((S + begin + end - ((K - 1) d + 1)) / s) + 1. */
  public int[] out() {
    int[] y = new int[in.length];
    for (int i = 0; i < y.length; i++) {
      int span = (kernel[i] - 1) * dilations[i] + 1;
      y[i] = Math.floorDiv(in[i] + pads[i] + pads[i + in.length] - span, strides[i]) + 1;
      if (y[i] < 1) throw new IllegalArgumentException("empty output on spatial axis " + i + ": " + this);
    }
    return y;
  }

  public long[] xShape() { return shape(n, c, in); }

  public long[] wShape() { return shape(o, c / group, kernel); }

  public long[] yShape() { return shape(n, o, out()); }

  /** y = conv(x, w). */
  public double[] forward(double[] x, double[] w) {
    double[] y = new double[(int) count(yShape())];
    visit((yi, xi, wi) -> y[yi] += x[xi] * w[wi]);
    return y;
  }

  /** dL/dx given dL/dy: the transposed convolution of {@code dy} with {@code w}. */
  public double[] inputGrad(double[] dy, double[] w) {
    double[] dx = new double[(int) count(xShape())];
    visit((yi, xi, wi) -> dx[xi] += dy[yi] * w[wi]);
    return dx;
  }

  /** dL/dw given dL/dy. */
  public double[] filterGrad(double[] x, double[] dy) {
    double[] dw = new double[(int) count(wShape())];
    visit((yi, xi, wi) -> dw[wi] += x[xi] * dy[yi]);
    return dw;
  }

  @FunctionalInterface
  private interface Triple {
    void accept(int yi, int xi, int wi);
  }

  private void visit(Triple f) {
    int r = in.length;
    int[] y = out();
    int ySize = (int) count(y);
    int kSize = (int) count(kernel);
    int cg = c / group;
    int og = o / group;
    int[] yPos = new int[r];
    int[] kPos = new int[r];
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < o; oc++) {
        int g = oc / og;
        for (int ci = 0; ci < cg; ci++) {
          int ic = g * cg + ci;
          for (int yf = 0; yf < ySize; yf++) {
            unravel(yf, y, yPos);
            int yi = (b * o + oc) * ySize + yf;
            for (int kf = 0; kf < kSize; kf++) {
              unravel(kf, kernel, kPos);
              int xf = 0;
              boolean inside = true;
              for (int a = 0; a < r && inside; a++) {
                int p = yPos[a] * strides[a] - pads[a] + kPos[a] * dilations[a];
                inside = p >= 0 && p < in[a];
                xf = xf * in[a] + p;
              }
              if (!inside) continue;
              int xi = (b * c + ic) * (int) count(in) + xf;
              int wi = (oc * cg + ci) * kSize + kf;
              f.accept(yi, xi, wi);
            }
          }
        }
      }
    }
  }

  private static void unravel(int flat, int[] sizes, int[] pos) {
    for (int a = sizes.length - 1; a >= 0; a--) {
      pos[a] = flat % sizes[a];
      flat /= sizes[a];
    }
  }

  private static long[] shape(int lead0, int lead1, int[] spatial) {
    long[] s = new long[spatial.length + 2];
    s[0] = lead0;
    s[1] = lead1;
    for (int i = 0; i < spatial.length; i++) s[i + 2] = spatial[i];
    return s;
  }

  private static long count(int[] sizes) {
    long k = 1;
    for (int v : sizes) k *= v;
    return k;
  }

  /**
   * {@code n} known-answer inputs: halves in [-2, 2], so every product and every partial sum of a small
   * convolution is exact in f32, and a right kernel matches this reference up to summation order only.
   */
  public static double[] halves(java.util.Random rnd, long n) {
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = (rnd.nextInt(9) - 4) / 2.0;
    return v;
  }

  /** The number of elements of a shape. */
  public static long count(long[] shape) {
    long k = 1;
    for (long v : shape) k *= v;
    return k;
  }

  /**
   * Row-major {@code data} of {@code shape} with its axes permuted: result axis i is source axis
   * {@code perm[i]} (as ONNX/NumPy transpose). Used to move between channels-first and a kernel's layout.
   */
  public static double[] permute(double[] data, long[] shape, int[] perm) {
    int r = shape.length;
    long[] outShape = new long[r];
    for (int i = 0; i < r; i++) outShape[i] = shape[perm[i]];
    long[] srcStride = new long[r];
    long s = 1;
    for (int i = r - 1; i >= 0; i--) {
      srcStride[i] = s;
      s *= shape[i];
    }
    double[] out = new double[data.length];
    int[] pos = new int[r];
    for (int flat = 0; flat < out.length; flat++) {
      int rest = flat;
      for (int a = r - 1; a >= 0; a--) {
        pos[a] = (int) (rest % outShape[a]);
        rest /= (int) outShape[a];
      }
      long src = 0;
      for (int a = 0; a < r; a++) src += pos[a] * srcStride[perm[a]];
      out[flat] = data[(int) src];
    }
    return out;
  }

  @Override public String toString() {
    return "HostConv[n=" + n + ", c=" + c + ", o=" + o + ", group=" + group + ", in=" + Arrays.toString(in) + ", kernel="
        + Arrays.toString(kernel) + ", strides=" + Arrays.toString(strides) + ", dilations=" + Arrays.toString(dilations)
        + ", pads=" + Arrays.toString(pads) + "]";
  }
}
