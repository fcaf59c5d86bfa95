package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reference convolution against hand-computed values and against itself: its three products are
 * adjoint, {@code <conv(x, w), dy> = <x, inputGrad(dy, w)> = <w, filterGrad(x, dy)>}, for every geometry.
 */
class HostConvTest {
  @Test
  void forwardByHand() {
    // 1-D, x = [1, 2, 3, 4], w = [1, -1], one zero padded at the start: [0-1, 1-2, 2-3, 3-4].
    HostConv g = new HostConv(1, 1, 1, 1, new int[] {4}, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1, 0});
    assertArrayEquals(new double[] {-1, -1, -1, -1}, g.forward(new double[] {1, 2, 3, 4}, new double[] {1, -1}));
  }

  @Test
  void transposedConvolutionByHand() {
    // The ConvTranspose case "1-d stride 2 cropped": x = [1, 2], w = [1, 10, 100], stride 2 gives
    // [1, 10, 102, 20, 200] before the crop of one cell at the start.
    HostConv g = new HostConv(1, 1, 1, 1, new int[] {5}, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {0, 0});
    assertArrayEquals(new double[] {1, 10, 102, 20, 200}, g.inputGrad(new double[] {1, 2}, new double[] {1, 10, 100}));
    HostConv cropped = new HostConv(1, 1, 1, 1, new int[] {4}, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1, 0});
    assertArrayEquals(new double[] {10, 102, 20, 200}, cropped.inputGrad(new double[] {1, 2}, new double[] {1, 10, 100}));
  }

  @Test
  void groupsAndDilation() {
    // Two groups of one channel each, kernel 2 dilated by 2: y[g][i] = x[g][i] * w[g][0] + x[g][i + 2] * w[g][1].
    HostConv g = new HostConv(1, 2, 2, 2, new int[] {4}, new int[] {2}, new int[] {1}, new int[] {2}, new int[] {0, 0});
    double[] y = g.forward(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, new double[] {1, 1, 1, -1});
    assertArrayEquals(new double[] {4, 6, -20, -20}, y);
  }

  @Test
  void threeProductsAreAdjoint() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 40; trial++) {
      int r = 1 + rnd.nextInt(3);
      int group = 1 + rnd.nextInt(2);
      int c = group * (1 + rnd.nextInt(3));
      int o = group * (1 + rnd.nextInt(3));
      int[] in = new int[r], k = new int[r], s = new int[r], d = new int[r], p = new int[2 * r];
      for (int i = 0; i < r; i++) {
        k[i] = 1 + rnd.nextInt(3);
        s[i] = 1 + rnd.nextInt(2);
        d[i] = 1 + rnd.nextInt(2);
        in[i] = (k[i] - 1) * d[i] + 3 + rnd.nextInt(4);  // room for a crop of one at each end
        p[i] = rnd.nextInt(3) - 1;
        p[i + r] = rnd.nextInt(3) - 1;
      }
      HostConv g = new HostConv(1 + rnd.nextInt(2), c, o, group, in, k, s, d, p);
      double[] x = random(rnd, HostConv.count(g.xShape()));
      double[] w = random(rnd, HostConv.count(g.wShape()));
      double[] dy = random(rnd, HostConv.count(g.yShape()));
      double lhs = dot(g.forward(x, w), dy);
      assertEquals(lhs, dot(x, g.inputGrad(dy, w)), 1e-9 * (1 + Math.abs(lhs)), g.toString());
      assertEquals(lhs, dot(w, g.filterGrad(x, dy)), 1e-9 * (1 + Math.abs(lhs)), g.toString());
    }
  }

  @Test
  void permuteMovesChannelsLast() {
    // [1, 2, 3] channels-first -> [1, 3, 2] channels-last.
    double[] v = {0, 1, 2, 10, 11, 12};
    assertArrayEquals(new double[] {0, 10, 1, 11, 2, 12}, HostConv.permute(v, new long[] {1, 2, 3}, new int[] {0, 2, 1}));
  }

  private static double[] random(Random rnd, long n) {
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
