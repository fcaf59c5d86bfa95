package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Arrays;
import java.util.Map;

/**
 * ONNX ConvTranspose (opsets 1..11+) onto the IR's ConvTranspose. {@code output_shape} and
 * {@code auto_pad=SAME_*} become explicit pads (and output padding where the requested output is larger
 * than the uncropped one), which needs static spatial dims.
 */
final class ConvTransposeImporter {
  private ConvTransposeImporter() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("ConvTranspose", ConvTransposeImporter::convTranspose);
  }

  private static Shape shapeOf(Object o) {
    return ImportContext.typeOf(o).shape();
  }

  private static void convTranspose(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides");
    Shape w = shapeOf(c.in(1));
    if (w.rank() < 3 || !w.isStatic()) throw c.unsupported("weights must have a static shape of rank >= 3, got " + w);
    int r = w.rank() - 2;
    long[] kernel = new long[r];
    for (int i = 0; i < r; i++) kernel[i] = w.dim(i + 2).size();
    long[] ks = c.attrInts("kernel_shape", kernel);
    if (!Arrays.equals(ks, kernel)) throw c.fail("kernel_shape " + Arrays.toString(ks) + " differs from the weights' " + w);
    long[] strides = filled(c.attrInts("strides", new long[0]), r, 1);
    long[] dil = filled(c.attrInts("dilations", new long[0]), r, 1);
    long[] outPad = filled(c.attrInts("output_padding", new long[0]), r, 0);
    long[] pads = c.attrInts("pads", new long[0]);
    String auto = c.attrString("auto_pad", "NOTSET");
    long[] outShape = c.attrInts("output_shape", null);
    if (!auto.equals("NOTSET") && !auto.equals("VALID") && !auto.equals("SAME_UPPER") && !auto.equals("SAME_LOWER")) {
      throw c.fail("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, got '" + auto + "'");
    }
    if (auto.equals("VALID")) pads = new long[2 * r];
    if (outShape != null || auto.startsWith("SAME")) {
      Shape x = shapeOf(c.in(0));
      if (x.rank() != r + 2) throw c.fail("input rank " + x.rank() + " does not match a " + r + "-d kernel");
      if (outShape != null && outShape.length != r && outShape.length != r + 2) {
        throw c.fail("output_shape must have " + r + " or " + (r + 2) + " entries, got " + Arrays.toString(outShape));
      }
      pads = new long[2 * r];
      for (int i = 0; i < r; i++) {
        if (!x.dim(i + 2).isStatic()) throw c.unsupported("output_shape and auto_pad need static spatial dims, got " + x);
        long in = x.dim(i + 2).size();
        long want = outShape != null ? outShape[outShape.length - r + i] : in * strides[i];
        long full = strides[i] * (in - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1;
        long total = full - want;
        if (total < 0) {
          // The requested output is larger than the uncropped one: the rest is output padding (at the end).
          outPad[i] -= total;
          total = 0;
        }
        // NOTE: ONNX puts the odd cell at the end for SAME_UPPER (and for output_shape without auto_pad
        // at the beginning, per the spec's "else" branch).
        boolean upper = auto.equals("SAME_UPPER");
        pads[i] = upper ? total / 2 : total - total / 2;
        pads[i + r] = total - pads[i];
      }
    }
    Attrs a = Attrs.of("strides", strides, "dilations", dil, "group", c.attrInt("group", 1),
        "pads", pads, "outputPadding", outPad);
    c.define(Ops.convTranspose(c, c.in(0), c.in(1), c.hasInput(2) ? c.in(2) : null, a));
  }

  private static long[] filled(long[] given, int r, long dflt) {
    if (given.length > 0) return given;
    long[] out = new long[r];
    Arrays.fill(out, dflt);
    return out;
  }
}
