package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GridSample} (opset 16, 4-D) composed from primitives, following PyTorch's {@code grid_sampler_2d} (which
 * ONNX's definition and test data follow): each output pixel reads X at the grid's (x, y), normalised to [-1, 1]
 * ({@code align_corners}: -1 and 1 are the centres of the corner pixels, else their outer edges). Modes: bilinear
 * (4 taps), nearest (round half to even) and bicubic (16 taps, A = -0.75). Padding: zeros (taps outside read 0),
 * border (coordinates clipped) and reflection (coordinates reflected at the borders, then clipped); bilinear and
 * nearest transform the source coordinate, bicubic each tap's, as PyTorch does. Each tap is one
 * {@code GatherND} (batch_dims 1) of X viewed as [N, H * W, C] at the clipped flat index, times its weight and an
 * in-bounds mask. Needs static C, H, W and output size.
 */
final class GridSampleImporter {
  private GridSampleImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("GridSample", GridSampleImporter::gridSample);
  }

  /** One tap: its (float, integral) coordinates and weight, [N, Ho, Wo] each. */
  private record Tap(Object x, Object y, Object w) {}

  /** What the taps need: the step target, the dtype, X's sizes, the padding and corner convention. */
  private record Ctx(OpTarget<Object> s, DType dt, long h, long w, String padding, boolean corners) {
    HostTensor k(double v) { return HostTensor.scalar(dt, v); }
  }

  private static void gridSample(NodeProto n, ImportContext c) {
    c.onlyAttrs("align_corners", "mode", "padding_mode");
    Object x = c.in(0);
    Object grid = c.in(1);
    var xt = ImportContext.typeOf(x);
    Shape xs = xt.shape();
    Shape gs = ImportContext.typeOf(grid).shape();
    if (!xt.dtype().isFloating()) throw c.fail("input X must be floating, got " + xt.dtype());
    if (ImportContext.typeOf(grid).dtype() != xt.dtype()) throw c.unsupported("grid of " + ImportContext.typeOf(grid).dtype() + " with X of " + xt.dtype());
    if (xs.rank() != 4 || gs.rank() != 4) throw c.unsupported("only 4-D X [N, C, H, W] and grid [N, Ho, Wo, 2] are supported, got " + xs + " and " + gs);
    for (int i = 1; i < 4; i++) {
      if (!xs.dim(i).isStatic()) throw c.unsupported("X's C, H and W must be static, got " + xs);
      if (!gs.dim(i).isStatic()) throw c.unsupported("the grid's Ho, Wo and last axis must be static, got " + gs);
    }
    if (gs.dim(3).size() != 2) throw c.fail("the grid's last axis must hold (x, y), size 2, got " + gs);
    String mode = c.attrString("mode", "bilinear");
    String padding = c.attrString("padding_mode", "zeros");
    if (!List.of("bilinear", "nearest", "bicubic").contains(mode)) throw c.unsupported("mode '" + mode + "'");
    if (!List.of("zeros", "border", "reflection").contains(padding)) throw c.unsupported("padding_mode '" + padding + "'");
    long ch = xs.dim(1).size();
    Ctx k = new Ctx(c.step(), xt.dtype(), xs.dim(2).size(), xs.dim(3).size(), padding, c.attrInt("align_corners", 0) != 0);
    OpTarget<Object> s = k.s();
    Object gx = unnormalize(k, Ops.gather(s, grid, index(0), 3), k.w());
    Object gy = unnormalize(k, Ops.gather(s, grid, index(1), 3), k.h());
    List<Tap> taps = new ArrayList<>();
    switch (mode) {
      case "nearest" -> taps.add(new Tap(Ops.round(s, pad(k, gx, k.w())), Ops.round(s, pad(k, gy, k.h())), null));
      case "bilinear" -> {
        Object fx = pad(k, gx, k.w());
        Object fy = pad(k, gy, k.h());
        Object x0 = Ops.floor(s, fx);
        Object y0 = Ops.floor(s, fy);
        Object tx = Ops.sub(s, fx, x0);
        Object ty = Ops.sub(s, fy, y0);
        Object[] xs2 = {x0, Ops.add(s, x0, k.k(1))};
        Object[] ys2 = {y0, Ops.add(s, y0, k.k(1))};
        Object[] wx = {Ops.sub(s, k.k(1), tx), tx};
        Object[] wy = {Ops.sub(s, k.k(1), ty), ty};
        for (int j = 0; j < 2; j++) for (int i = 0; i < 2; i++) taps.add(new Tap(xs2[i], ys2[j], Ops.mul(s, wx[i], wy[j])));
      }
      default -> {
        Object x0 = Ops.floor(s, gx);
        Object y0 = Ops.floor(s, gy);
        Object[] wx = cubic(k, Ops.sub(s, gx, x0));
        Object[] wy = cubic(k, Ops.sub(s, gy, y0));
        for (int j = 0; j < 4; j++) {
          Object yj = pad(k, Ops.add(s, y0, k.k(j - 1)), k.h());
          for (int i = 0; i < 4; i++) {
            Object xi = pad(k, Ops.add(s, x0, k.k(i - 1)), k.w());
            taps.add(new Tap(xi, yj, Ops.mul(s, wx[i], wy[j])));
          }
        }
      }
    }
    // X as [N, H * W, C], so one GatherND with batch_dims 1 reads every channel of a pixel.
    Object flat = Ops.reshape(s, Ops.transpose(s, x, new long[] {0, 2, 3, 1}), new long[] {0, k.h() * k.w(), ch});
    Object acc = null;
    for (Tap t : taps) {
      Object term = tap(k, flat, t);
      acc = acc == null ? term : Ops.add(s, acc, term);
    }
    Object nc = Ops.transpose(s, acc, new long[] {0, 2, 1});
    c.define(Ops.reshape(c, nc, new long[] {0, 0, gs.dim(1).size(), gs.dim(2).size()}));
  }

  /** The grid's normalised coordinate in pixels: align_corners: (g + 1) / 2 * (size - 1), else ((g + 1) * size - 1) / 2. */
  private static Object unnormalize(Ctx k, Object g, long size) {
    OpTarget<Object> s = k.s();
    Object plus1 = Ops.add(s, g, k.k(1));
    return k.corners() ? Ops.mul(s, plus1, k.k((size - 1) / 2.0)) : Ops.div(s, Ops.sub(s, Ops.mul(s, plus1, k.k(size)), k.k(1)), k.k(2));
  }

  /** The padding mode's coordinate transform: zeros none, border clipped to [0, size - 1], reflection reflected then clipped. */
  private static Object pad(Ctx k, Object v, long size) {
    OpTarget<Object> s = k.s();
    return switch (k.padding()) {
      case "border" -> Ops.clip(s, v, 0, size - 1);
      case "reflection" -> Ops.clip(s, reflect(k, v, k.corners() ? 0 : -1, k.corners() ? 2 * (size - 1) : 2 * size - 1), 0, size - 1);
      default -> v;
    };
  }

  /** PyTorch's reflect_coordinates over [twiceLow / 2, twiceHigh / 2]. */
  private static Object reflect(Ctx k, Object v, long twiceLow, long twiceHigh) {
    OpTarget<Object> s = k.s();
    if (twiceLow == twiceHigh) return Ops.mul(s, v, k.k(0));
    double min = twiceLow / 2.0;
    double span = (twiceHigh - twiceLow) / 2.0;
    Object in = Ops.abs(s, Ops.sub(s, v, k.k(min)));
    Object extra = Ops.mod(s, in, k.k(span), true);
    Object flips = Ops.floor(s, Ops.div(s, in, k.k(span)));
    Object odd = Ops.mod(s, flips, k.k(2), true);
    Object even = Ops.less(s, odd, k.k(0.5));
    return Ops.where(s, even, Ops.add(s, extra, k.k(min)), Ops.add(s, Ops.sub(s, k.k(span), extra), k.k(min)));
  }

  /** The 4 cubic convolution weights (A = -0.75) of taps at offsets -1, 0, 1, 2 for the fraction t. */
  private static Object[] cubic(Ctx k, Object t) {
    OpTarget<Object> s = k.s();
    double a = -0.75;
    Object oneMinus = Ops.sub(s, k.k(1), t);
    return new Object[] {far(k, Ops.add(s, t, k.k(1)), a), near(k, t, a), near(k, oneMinus, a), far(k, Ops.add(s, oneMinus, k.k(1)), a)};
  }

  /** ((A + 2) x - (A + 3)) x^2 + 1, for |x| <= 1. */
  private static Object near(Ctx k, Object v, double a) {
    OpTarget<Object> s = k.s();
    Object p = Ops.sub(s, Ops.mul(s, v, k.k(a + 2)), k.k(a + 3));
    return Ops.add(s, Ops.mul(s, Ops.mul(s, p, v), v), k.k(1));
  }

  /** ((A x - 5A) x + 8A) x - 4A, for 1 < |x| < 2. */
  private static Object far(Ctx k, Object v, double a) {
    OpTarget<Object> s = k.s();
    Object p = Ops.add(s, Ops.mul(s, Ops.sub(s, Ops.mul(s, v, k.k(a)), k.k(5 * a)), v), k.k(8 * a));
    return Ops.sub(s, Ops.mul(s, p, v), k.k(4 * a));
  }

  /** weight * in-bounds * X[n, :, y, x] as [N, Ho * Wo, C]; out-of-bounds taps read a clipped pixel and weigh 0. */
  private static Object tap(Ctx k, Object flat, Tap t) {
    OpTarget<Object> s = k.s();
    Object inside = Ops.mul(s, within(k, t.x(), k.w()), within(k, t.y(), k.h()));
    Object w = t.w() == null ? inside : Ops.mul(s, t.w(), inside);
    Object xc = Ops.clip(s, t.x(), 0, k.w() - 1);
    Object yc = Ops.clip(s, t.y(), 0, k.h() - 1);
    Object lin = Ops.cast(s, Ops.add(s, Ops.mul(s, yc, k.k(k.w())), xc), DType.I64);
    Object idx = Ops.reshape(s, lin, new long[] {0, -1, 1});
    Object px = Ops.gatherND(s, flat, idx, 1);
    return Ops.mul(s, px, Ops.reshape(s, w, new long[] {0, -1, 1}));
  }

  /** 1 where the integral coordinate v is in [0, size - 1], else 0 (of the dtype). */
  private static Object within(Ctx k, Object v, long size) {
    OpTarget<Object> s = k.s();
    Object lo = Ops.cast(s, Ops.greater(s, v, k.k(-0.5)), k.dt());
    Object hi = Ops.cast(s, Ops.less(s, v, k.k(size - 0.5)), k.dt());
    return Ops.mul(s, lo, hi);
  }

  private static HostTensor index(long i) { return HostTensor.fromDoubles(DType.I64, new double[] {i}); }
}
