package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * ONNX normalisations without an IR op of their own, composed from primitives at import (they re-export as the
 * same primitives): LRN (AlexNet, GoogLeNet) and MeanVarianceNormalization, each spelled as its ONNX definition.
 */
final class NormImporters {
  private NormImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("LRN", NormImporters::lrn);
    m.put("MeanVarianceNormalization", NormImporters::mvn);
  }

  /**
   * y = x / (bias + alpha / size * square_sum)^beta, square_sum[n, c] the sum of x^2 over channels
   * c - floor((size - 1) / 2) .. c + ceil((size - 1) / 2) (those that exist). The channel window is a zero pad of
   * x^2 on axis 1 and the sum of {@code size} shifted slices of it, so the channel count need not be static.
   */
  private static void lrn(NodeProto n, ImportContext c) {
    c.onlyAttrs("alpha", "beta", "bias", "size");
    long size = c.attrInt("size", -1);
    if (size < 1) throw c.fail("attribute size must be >= 1, got " + size);
    double alpha = c.attrFloat("alpha", 1e-4);
    double beta = c.attrFloat("beta", 0.75);
    double bias = c.attrFloat("bias", 1.0);
    Object x = c.in(0);
    DType dt = ImportContext.typeOf(x).dtype();
    int rank = ImportContext.typeOf(x).shape().rank();
    if (rank < 3) throw c.fail("input X must have rank >= 3 (N, C, D1, ...), has rank " + rank);
    if (!dt.isFloating()) throw c.fail("input X must be floating point, is " + dt);
    long before = (size - 1) / 2;
    long after = size - 1 - before;
    long[] pads = new long[2 * rank];
    pads[1] = before;
    pads[rank + 1] = after;
    Object padded = Ops.pad(c.step(), Ops.mul(c.step(), x, x), pads);
    Object sum = null;
    for (long k = 0; k < size; k++) {
      // NOTE: the end counts from the padded axis's end, so the slice has exactly C channels whatever C is.
      long end = k == size - 1 ? Long.MAX_VALUE : k - (size - 1);
      Object s = Ops.slice(c.step(), padded, new long[] {k}, new long[] {end}, new long[] {1}, new long[] {1});
      sum = sum == null ? s : Ops.add(c.step(), sum, s);
    }
    Object scaled = Ops.add(c.step(), HostTensor.scalar(dt, bias), Ops.mul(c.step(), HostTensor.scalar(dt, alpha / size), sum));
    c.define(Ops.div(c, x, Ops.pow(c.step(), scaled, HostTensor.scalar(dt, beta))));
  }

  /**
   * y = (x - mean) / (sqrt(E[x^2] - mean^2) + 1e-9), the moments over {@code axes} (default [0, 2, 3]): ONNX's
   * function body, term for term, so rounding matches its reference.
   */
  private static void mvn(NodeProto n, ImportContext c) {
    c.onlyAttrs("axes", "across_channels", "normalize_variance");
    if (c.attrInt("across_channels", 0) != 0) throw c.unsupported("across_channels=1 (opset 1) is not supported");
    if (c.attrInt("normalize_variance", 1) != 1) throw c.unsupported("normalize_variance=0 (opset 1) is not supported");
    long[] axes = c.attrInts("axes", new long[] {0, 2, 3});
    Object x = c.in(0);
    DType dt = ImportContext.typeOf(x).dtype();
    if (!dt.isFloating()) throw c.fail("input X must be floating point, is " + dt);
    Object mean = Ops.reduceMean(c.step(), x, axes, true);
    Object meanSq = Ops.reduceMean(c.step(), Ops.mul(c.step(), x, x), axes, true);
    Object var = Ops.sub(c.step(), meanSq, Ops.mul(c.step(), mean, mean));
    Object std = Ops.add(c.step(), Ops.sqrt(c.step(), var), HostTensor.scalar(dt, 1e-9));
    c.define(Ops.div(c, Ops.sub(c.step(), x, mean), std));
  }
}
