package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Conv, MaxPool and AveragePool. {@code auto_pad} becomes explicit pads (it needs static spatial dims);
 * {@code kernel_shape} is checked against the weights for Conv.
 */
final class WindowImporters {
  private WindowImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Conv", WindowImporters::conv);
    m.put("MaxPool", WindowImporters::maxPool);
    m.put("AveragePool", WindowImporters::averagePool);
  }

  private static Shape shapeOf(Object o) {
    return ImportContext.typeOf(o).shape();
  }

  private static void conv(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
    c.define(Ops.conv(c, c.in(0), c.in(1), c.hasInput(2) ? c.in(2) : null, convAttrs(c, c.in(1))));
  }

  /** The IR Conv attributes of a Conv-like node (Conv, ConvInteger, QLinearConv) with weights {@code weights}. */
  static Attrs convAttrs(ImportContext c, Object weights) {
    Shape w = shapeOf(weights);
    if (w.rank() < 3 || !w.isStatic()) throw c.unsupported("weights must have a static shape of rank >= 3, got " + w);
    long[] kernel = new long[w.rank() - 2];
    for (int i = 0; i < kernel.length; i++) kernel[i] = w.dim(i + 2).size();
    long[] ks = c.attrInts("kernel_shape", kernel);
    if (!java.util.Arrays.equals(ks, kernel)) throw c.fail("kernel_shape " + java.util.Arrays.toString(ks) + " differs from the weights' " + w);
    long[] strides = c.attrInts("strides", new long[0]);
    long[] dil = c.attrInts("dilations", new long[0]);
    return Attrs.of("strides", strides, "dilations", dil, "group", c.attrInt("group", 1),
        "pads", pads(c, kernel, strides, dil));
  }

  private static void maxPool(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides");
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) throw c.unsupported("the Indices output is not supported");
    if (c.attrInt("storage_order", 0) != 0) throw c.unsupported("storage_order=1 is not supported");
    long[] kernel = kernel(c);
    long[] strides = c.attrInts("strides", new long[0]);
    long[] dil = c.attrInts("dilations", new long[0]);
    c.define(Ops.maxPool(c, c.in(0), kernel, strides, pads(c, kernel, strides, dil), dil, c.attrInt("ceil_mode", 0) != 0));
  }

  private static void averagePool(NodeProto n, ImportContext c) {
    c.onlyAttrs("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides", "dilations");
    long[] kernel = kernel(c);
    long[] dil = c.attrInts("dilations", new long[0]);
    for (long d : dil) if (d != 1) throw c.unsupported("dilations other than 1 are not supported");
    long[] strides = c.attrInts("strides", new long[0]);
    c.define(Ops.averagePool(c, c.in(0), kernel, strides, pads(c, kernel, strides, dil), c.attrInt("ceil_mode", 0) != 0, c.attrInt("count_include_pad", 0) != 0));
  }

  private static long[] kernel(ImportContext c) {
    long[] k = c.attrInts("kernel_shape", null);
    if (k == null) throw c.fail("attribute kernel_shape is required");
    return k;
  }

  /** Explicit pads, or those {@code auto_pad} implies for the input's static spatial dims. */
  private static long[] pads(ImportContext c, long[] kernel, long[] strides, long[] dil) {
    String auto = c.attrString("auto_pad", "NOTSET");
    long[] pads = c.attrInts("pads", new long[0]);
    switch (auto) {
      case "NOTSET":
        return pads;
      case "VALID":
        return new long[2 * kernel.length];
      case "SAME_UPPER", "SAME_LOWER":
        break;
      default:
        throw c.fail("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, got '" + auto + "'");
    }
    if (pads.length > 0) throw c.fail("pads and auto_pad=" + auto + " cannot both be given");
    Shape x = shapeOf(c.in(0));
    int r = kernel.length;
    if (x.rank() != r + 2) throw c.fail("input rank " + x.rank() + " does not match a " + r + "-d kernel");
    long[] out = new long[2 * r];
    for (int i = 0; i < r; i++) {
      Dim d = x.dim(i + 2);
      if (!d.isStatic()) throw c.unsupported("auto_pad=" + auto + " needs static spatial dims, got " + x);
      long s = strides.length > 0 ? strides[i] : 1;
      long dl = dil.length > 0 ? dil[i] : 1;
      if (s <= 0 || dl <= 0) throw c.fail("strides and dilations must be positive");
      long outSize = Math.floorDiv(d.size() + s - 1, s);
      long total = Math.max(0, (outSize - 1) * s + (kernel[i] - 1) * dl + 1 - d.size());
      long small = total / 2;
      out[i] = auto.equals("SAME_UPPER") ? small : total - small;
      out[i + r] = total - out[i];
    }
    return out;
  }
}
