package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code MaxUnpool} (opsets 9, 11) composed from primitives: the output is zeros except that each X value is
 * written at its index in I, which ONNX defines as a position in the whole output flattened (N x C x D1 x ...,
 * as MaxPool's Indices output gives it). So it is a {@code ScatterElements} of X into a flat zero tensor of the
 * output's element count, reshaped to ONNX's default output shape {@code (in - 1) * stride - pad_begin - pad_end +
 * kernel}, then padded with zeros at the end of each axis up to the {@code output_shape} input when one is given (a
 * constant, or computed at run time).
 * NOTE: ONNX leaves duplicate indices undefined; ScatterElements writes one of them.
 */
final class MaxUnpoolImporter {
  private MaxUnpoolImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("MaxUnpool", MaxUnpoolImporter::maxUnpool);
  }

  private static void maxUnpool(NodeProto n, ImportContext c) {
    c.onlyAttrs("kernel_shape", "pads", "strides");
    Object x = c.in(0);
    Object idx = c.in(1);
    Shape xs = ImportContext.typeOf(x).shape();
    if (ImportContext.typeOf(idx).dtype() != DType.I64) throw c.fail("input I must be int64, got " + ImportContext.typeOf(idx).dtype());
    int spatial = xs.rank() - 2;
    if (spatial < 1) throw c.fail("input X must have rank >= 3 (N, C, spatial...), got " + xs);
    long[] kernel = c.attrInts("kernel_shape", null);
    if (kernel == null) throw c.fail("attribute 'kernel_shape' is required");
    if (kernel.length != spatial) throw c.fail("kernel_shape " + Arrays.toString(kernel) + " does not match " + spatial + " spatial axes of X " + xs);
    long[] strides = c.attrInts("strides", ones(spatial));
    long[] pads = c.attrInts("pads", new long[2 * spatial]);
    if (strides.length != spatial || pads.length != 2 * spatial) throw c.fail("strides / pads do not match " + spatial + " spatial axes");
    OpTarget<Object> s = c.step();
    Object flatX = Ops.reshape(s, x, new long[] {-1});
    Object flatI = Ops.reshape(s, idx, new long[] {-1});
    Object zeroValue = HostTensor.fromDoubles(ImportContext.typeOf(x).dtype(), new double[] {0}, 1);
    long[] out = new long[xs.rank()];
    long count = 1;
    for (int i = 0; i < xs.rank(); i++) {
      if (!xs.dim(i).isStatic()) throw c.unsupported("X's dims must be static, got " + xs);
      long d = xs.dim(i).size();
      out[i] = i < 2 ? d : (d - 1) * strides[i - 2] - pads[i - 2] - pads[i - 2 + spatial] + kernel[i - 2];
      if (out[i] < 0) throw c.fail("the output size of axis " + i + " is negative (" + out[i] + ")");
      count = Math.multiplyExact(count, out[i]);
    }
    if (count > ImportContext.MAX_FOLD_ELEMENTS) throw c.unsupported("an output of " + count + " elements is too large to compose");
    Object zeros = Ops.constantOfShape(s, HostTensor.fromDoubles(DType.I64, new double[] {count}, 1), (HostTensor) zeroValue);
    Object filled = Ops.scatterElements(s, zeros, flatI, flatX, 0, "none");
    if (!c.hasInput(2)) {
      c.define(Ops.reshape(c, filled, out));
      return;
    }
    // NOTE: the indices address the default output (as ONNX's reference and ONNX Runtime read them); a larger
    // output_shape pads it with zeros at the end of each axis.
    Object unpooled = Ops.reshape(s, filled, out);
    HostTensor shape = c.constant(2);
    if (shape != null) {
      long[] want = shape.toLongs();
      if (want.length != out.length) throw c.fail("output_shape " + Arrays.toString(want) + " does not match X's rank " + out.length);
      long[] padding = new long[2 * out.length];
      for (int i = 0; i < out.length; i++) {
        if (want[i] < out[i]) throw c.fail("output_shape " + Arrays.toString(want) + " is smaller than the unpooled " + Arrays.toString(out));
        padding[out.length + i] = want[i] - out[i];
      }
      c.define(Ops.pad(c, unpooled, padding));
      return;
    }
    Object extra = Ops.sub(s, c.in(2), HostTensor.fromDoubles(DType.I64, toDoubles(out), out.length));
    Object padding = Ops.concat(s, java.util.List.of(HostTensor.fromDoubles(DType.I64, new double[out.length], out.length), extra), 0);
    c.define(Ops.dynamicPad(c, unpooled, padding));
  }

  private static double[] toDoubles(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return d;
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    Arrays.fill(a, 1);
    return a;
  }
}
