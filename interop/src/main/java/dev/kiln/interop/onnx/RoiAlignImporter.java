package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * {@code RoiAlign} (opsets 10, 16; average mode) composed from primitives, as ONNX Runtime's kernel computes it:
 * each output bin of a region averages sampling_ratio x sampling_ratio bilinear samples at
 * y = start_h + ph * bin_h + (iy + 0.5) * bin_h / sampling_ratio (likewise x), a sample outside [-1, size] reading 0,
 * one below 0 read at 0 and one past size - 1 at size - 1. Region corners are scaled by spatial_scale and shifted by
 * -0.5 for half_pixel (opset 16's default); output_half_pixel (opset 10's behaviour) keeps them and makes regions at
 * least 1 pixel. The y and x sample positions of all regions are built as [R, P, 1] and [R, 1, Q] tensors, and each of
 * the 4 taps is one Gather of X viewed as [N * H * W, C] at b * H * W + y * W + x. Needs a constant sampling_ratio
 * above 0 (an adaptive one counts samples from the region's values) and static C, H, W.
 */
final class RoiAlignImporter {
  private RoiAlignImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("RoiAlign", RoiAlignImporter::roiAlign);
  }

  private static void roiAlign(NodeProto n, ImportContext c) {
    c.onlyAttrs("coordinate_transformation_mode", "mode", "output_height", "output_width", "sampling_ratio", "spatial_scale");
    Object x = c.in(0);
    Object rois = c.in(1);
    Object batch = c.in(2);
    var xt = ImportContext.typeOf(x);
    Shape xs = xt.shape();
    DType dt = xt.dtype();
    if (!dt.isFloating()) throw c.fail("input X must be floating, got " + dt);
    if (xs.rank() != 4) throw c.fail("input X must be [N, C, H, W], got " + xs);
    for (int i = 1; i < 4; i++) if (!xs.dim(i).isStatic()) throw c.unsupported("X's C, H and W must be static, got " + xs);
    if (ImportContext.typeOf(rois).dtype() != dt) throw c.unsupported("rois of " + ImportContext.typeOf(rois).dtype() + " with X of " + dt);
    String mode = c.attrString("mode", "avg");
    if (!mode.equals("avg")) throw c.unsupported("mode '" + mode + "' (only avg is composed)");
    boolean halfPixel = c.attrString("coordinate_transformation_mode", c.opset() >= 16 ? "half_pixel" : "output_half_pixel").equals("half_pixel");
    long oh = c.attrInt("output_height", 1);
    long ow = c.attrInt("output_width", 1);
    long sr = c.attrInt("sampling_ratio", 0);
    double scale = c.attrFloat("spatial_scale", 1);
    if (oh < 1 || ow < 1) throw c.fail("output_height and output_width must be >= 1, got " + oh + ", " + ow);
    if (sr <= 0) throw c.unsupported("sampling_ratio " + sr + ": an adaptive sample count depends on the regions' values at run time");
    long ch = xs.dim(1).size();
    long h = xs.dim(2).size();
    long w = xs.dim(3).size();
    OpTarget<Object> s = c.step();
    double offset = halfPixel ? 0.5 : 0;
    Object[] corner = new Object[4];
    for (int i = 0; i < 4; i++) {
      Object v = Ops.gather(s, rois, HostTensor.fromDoubles(DType.I64, new double[] {i}, 1), 1); // [R, 1]
      corner[i] = Ops.sub(s, Ops.mul(s, v, k(dt, scale)), k(dt, offset));
    }
    Object ys = positions(s, dt, corner[1], corner[3], oh, sr, halfPixel); // [R, P]
    Object xsPos = positions(s, dt, corner[0], corner[2], ow, sr, halfPixel); // [R, Q]
    Axis ya = axis(s, dt, Ops.unsqueeze(s, ys, new long[] {2}), h); // [R, P, 1]
    Axis xa = axis(s, dt, Ops.unsqueeze(s, xsPos, new long[] {1}), w); // [R, 1, Q]
    Object valid = Ops.mul(s, ya.valid, xa.valid);
    Object base = Ops.mul(s, Ops.reshape(s, batch, new long[] {-1, 1, 1}), HostTensor.fromDoubles(DType.I64, new double[] {h * w}));
    Object flat = Ops.reshape(s, Ops.transpose(s, x, new long[] {0, 2, 3, 1}), new long[] {-1, ch});
    Object[][] yTaps = {{ya.low, ya.lowWeight}, {ya.high, ya.highWeight}};
    Object[][] xTaps = {{xa.low, xa.lowWeight}, {xa.high, xa.highWeight}};
    Object acc = null;
    for (Object[] yt : yTaps) {
      for (Object[] xtp : xTaps) {
        Object idx = Ops.add(s, Ops.add(s, base, Ops.mul(s, yt[0], HostTensor.fromDoubles(DType.I64, new double[] {w}))), xtp[0]);
        Object px = Ops.gather(s, flat, idx, 0); // [R, P, Q, C]
        Object wt = Ops.unsqueeze(s, Ops.mul(s, Ops.mul(s, yt[1], xtp[1]), valid), new long[] {3});
        Object term = Ops.mul(s, px, wt);
        acc = acc == null ? term : Ops.add(s, acc, term);
      }
    }
    Object bins = Ops.reshape(s, acc, new long[] {0, oh, sr, ow, sr, ch});
    Object mean = Ops.reduceMean(s, bins, new long[] {2, 4}, false);
    c.define(Ops.transpose(c, mean, new long[] {0, 3, 1, 2}));
  }

  /** Sample positions along one axis, [R, bins * sr]: start + bin * (b + (i + 0.5) / sr) for bin b, sample i. */
  private static Object positions(OpTarget<Object> s, DType dt, Object start, Object end, long bins, long sr, boolean halfPixel) {
    Object size = Ops.sub(s, end, start);
    if (!halfPixel) size = Ops.maximum(s, size, k(dt, 1));
    Object bin = Ops.div(s, size, k(dt, bins));
    double[] at = new double[(int) (bins * sr)];
    for (int b = 0; b < bins; b++) for (int i = 0; i < sr; i++) at[(int) (b * sr + i)] = b + (i + 0.5) / sr;
    return Ops.add(s, start, Ops.mul(s, bin, HostTensor.fromDoubles(dt, at, 1, at.length)));
  }

  /** One axis's bilinear taps: integer low / high coordinates (i64), their weights and the in-range mask. */
  private record Axis(Object low, Object high, Object lowWeight, Object highWeight, Object valid) {}

  private static Axis axis(OpTarget<Object> s, DType dt, Object v, long size) {
    Object valid = Ops.mul(s, Ops.cast(s, Ops.greater(s, v, k(dt, -1 - 1e-6)), dt), Ops.cast(s, Ops.less(s, v, k(dt, size + 1e-6)), dt));
    Object pos = Ops.relu(s, v);
    Object low = Ops.floor(s, pos);
    Object atEnd = Ops.greater(s, low, k(dt, size - 1.5)); // low >= size - 1
    Object frac = Ops.where(s, atEnd, k(dt, 0), Ops.sub(s, pos, low));
    Object lowI = Ops.cast(s, Ops.clip(s, low, 0, size - 1), DType.I64);
    Object highI = Ops.cast(s, Ops.clip(s, Ops.add(s, low, k(dt, 1)), 0, size - 1), DType.I64);
    return new Axis(lowI, highI, Ops.sub(s, k(dt, 1), frac), frac, valid);
  }

  private static HostTensor k(DType dt, double v) { return HostTensor.scalar(dt, v); }
}
