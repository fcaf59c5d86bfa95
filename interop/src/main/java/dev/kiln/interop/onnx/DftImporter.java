package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX DFT (opset 17) over an axis of static length, composed at import as two matrix products with constant
 * cosine and sine tables: the signal axis is moved last (before the real/imaginary axis), y_re = re C + im S and
 * y_im = im C - re S (forward; the inverse flips the sine's sign and divides by the length), then moved back.
 * A dft_length other than the axis length zero-pads or truncates the signal; onesided keeps bins 0 .. L/2.
 */
final class DftImporter {
  private DftImporter() {}

  static void register(Map<String, NodeImporter> m) { m.put("DFT", DftImporter::dft); }

  private static void dft(NodeProto n, ImportContext c) {
    c.onlyAttrs("axis", "inverse", "onesided");
    Object x = c.in(0);
    TensorType t = ImportContext.typeOf(x);
    int r = t.rank();
    if (!t.dtype().isFloating() || r < 3) throw c.fail("input must be floating [batch, ..., 1 or 2] of rank >= 3, got " + t);
    Dim comp = t.shape().dim(r - 1);
    if (!comp.isStatic() || (comp.size() != 1 && comp.size() != 2)) throw c.fail("the last axis of input must be 1 (real) or 2 (complex), got " + t);
    long a = c.attrInt("axis", 1);
    if (a < 0) a += r;
    if (a < 1 || a > r - 2) throw c.fail("attribute axis " + c.attrInt("axis", 1) + " must name a signal axis (1 .. " + (r - 2) + ") of " + t);
    Dim nd = t.shape().dim((int) a);
    if (!nd.isStatic()) throw c.unsupported("DFT over an axis of run-time length " + nd + " is not supported");
    long len = nd.size();
    if (c.hasInput(1)) {
      HostTensor l = c.requireConstant(1, "dft_length");
      len = l.getLong(0);
      if (len < 1) throw c.fail("dft_length must be >= 1, got " + len);
    }
    boolean inverse = c.attrInt("inverse", 0) != 0;
    boolean onesided = c.attrInt("onesided", 0) != 0;
    if (inverse && onesided) throw c.unsupported("an inverse onesided DFT is not supported");
    long bins = onesided ? len / 2 + 1 : len;
    // Move the signal axis next to the last (real/imaginary) axis.
    long[] perm = new long[r];
    int k = 0;
    for (int i = 0; i < r - 1; i++) if (i != a) perm[k++] = i;
    perm[r - 2] = a;
    perm[r - 1] = r - 1;
    Object xt = isIdentity(perm) ? x : Ops.transpose(c.step(), x, perm);
    Object re = part(c, xt, 0, r);
    Object im = comp.size() == 2 ? part(c, xt, 1, r) : null;
    double sign = inverse ? 1 : -1;  // e^{sign i theta}
    double scale = inverse ? 1.0 / len : 1.0;
    HostTensor cos = table(t.dtype(), nd.size(), bins, len, false, scale);
    HostTensor sin = table(t.dtype(), nd.size(), bins, len, true, scale);
    // (re + i im)(cos + sign i sin) = re cos - sign im sin + i (im cos + sign re sin)
    Object yRe = Ops.matMul(c.step(), re, cos);
    Object yIm = Ops.mul(c.step(), Ops.matMul(c.step(), re, sin), HostTensor.scalar(t.dtype(), sign));
    if (im != null) {
      yRe = Ops.sub(c.step(), yRe, Ops.mul(c.step(), Ops.matMul(c.step(), im, sin), HostTensor.scalar(t.dtype(), sign)));
      yIm = Ops.add(c.step(), yIm, Ops.matMul(c.step(), im, cos));
    }
    List<Object> parts = new ArrayList<>();
    parts.add(Ops.unsqueeze(c.step(), yRe, new long[] {r - 1}));
    parts.add(Ops.unsqueeze(c.step(), yIm, new long[] {r - 1}));
    Object y = Ops.concat(c.step(), parts, r - 1);
    long[] back = new long[r];
    for (int i = 0; i < r; i++) back[(int) perm[i]] = i;
    c.define(isIdentity(back) ? Ops.identity(c, y) : Ops.transpose(c, y, back));
  }

  /** Entry {@code which} of the last axis, removed: [..., n]. */
  private static Object part(ImportContext c, Object x, long which, int r) {
    Object s = Ops.slice(c.step(), x, new long[] {which}, new long[] {which + 1}, new long[] {r - 1}, new long[] {1});
    return Ops.squeeze(c.step(), s, new long[] {r - 1});
  }

  /**
   * The [n, bins] table scale * cos (or sin) of 2 pi j k / len; rows j >= len (a truncated signal) are zero. NOTE:
   * j k is reduced mod len first, so large products keep the angle exact.
   */
  private static HostTensor table(DType dt, long n, long bins, long len, boolean sine, double scale) {
    double[] v = new double[Math.toIntExact(n * bins)];
    for (long j = 0; j < Math.min(n, len); j++) {
      for (long k = 0; k < bins; k++) {
        double theta = 2 * Math.PI * ((j * k) % len) / len;
        v[(int) (j * bins + k)] = scale * (sine ? Math.sin(theta) : Math.cos(theta));
      }
    }
    return HostTensor.fromDoubles(dt, v, n, bins);
  }

  private static boolean isIdentity(long[] perm) {
    for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
    return true;
  }
}
