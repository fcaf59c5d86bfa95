package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ir.Attrs;
import java.util.Map;

/**
 * The Reduce family. ReduceSum / ReduceMean / ReduceMax / ReduceProd are IR ops; ReduceMin, ReduceL1, ReduceL2,
 * ReduceSumSquare, ReduceLogSum and ReduceLogSumExp are composed of them. Axes are an attribute before
 * the opset where they became an input (13 for ReduceSum, 18 for the others); {@code
 * noop_with_empty_axes=1} with no axes is an identity for the IR ops (and refused for the composites,
 * whose "no-op" forms the ONNX spec leaves unclear).
 */
final class ReduceImporters {
  private ReduceImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("ReduceSum", (n, c) -> reduce(n, c, "ReduceSum", 13));
    m.put("ReduceMean", (n, c) -> reduce(n, c, "ReduceMean", 18));
    m.put("ReduceMax", (n, c) -> reduce(n, c, "ReduceMax", 18));
    m.put("ReduceProd", (n, c) -> reduce(n, c, "ReduceProd", 18));
    for (String op : new String[] {"ReduceMin", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"}) {
      m.put(op, (n, c) -> composite(c, op, reduceAttrs(c, 18)));
    }
  }

  /** The IR reduction attributes (axes, keepdims) of the node; null for a no-op (empty axes, noop_with_empty_axes=1). */
  private static Attrs reduceAttrs(ImportContext c, int axesInputSince) {
    c.onlyAttrs("axes", "keepdims", "noop_with_empty_axes");
    long[] axes = c.opset() < axesInputSince ? c.attrInts("axes", new long[0])
        : c.hasInput(1) ? c.requireConstant(1, "axes").toLongs() : new long[0];
    if (c.opset() >= axesInputSince && c.attr("axes") != null) throw c.fail("axes is an input from opset " + axesInputSince);
    if (axes.length == 0 && c.attrInt("noop_with_empty_axes", 0) != 0) return null;
    return Attrs.of("axes", axes, "keepdims", c.attrInt("keepdims", 1) != 0);
  }

  private static void reduce(NodeProto n, ImportContext c, String op, int axesInputSince) {
    if (op.equals("ReduceSum") && c.opset() >= axesInputSince && c.hasInput(1) && c.constant(1) == null) {
      // Axes computed at run time: the Dynamic form, whose rank follows from the axes' static length.
      c.onlyAttrs("keepdims", "noop_with_empty_axes");
      Attrs a = Attrs.of("keepdims", c.attrInt("keepdims", 1) != 0, "noop_with_empty_axes", c.attrInt("noop_with_empty_axes", 0) != 0);
      c.define(c.apply1("DynamicReduceSum", a, c.in(0), c.in(1)));
      return;
    }
    Attrs a = reduceAttrs(c, axesInputSince);
    c.define(a == null ? c.apply1("Identity", Attrs.EMPTY, c.in(0)) : c.apply1(op, a, c.in(0)));
  }

  /**
   * min = -max(-x); L1 = sum |x|; L2 = sqrt(sum x^2); SumSquare = sum x^2; LogSum = log(sum x);
   * LogSumExp = m + log(sum exp(x - m)) with m = max(x).
   * NOTE: LogSumExp subtracts the max first so exp cannot overflow (ONNX's reference does not; the
   * results agree wherever the reference is finite), but an infinite max gives NaN (inf - inf).
   */
  private static void composite(ImportContext c, String op, Attrs a) {
    if (a == null) throw c.unsupported("noop_with_empty_axes=1 with no axes is not supported");
    Object x = c.in(0);
    Object y = switch (op) {
      case "ReduceMin" -> c.apply1("Neg", Attrs.EMPTY, c.step("ReduceMax", a, c.step("Neg", Attrs.EMPTY, x)));
      case "ReduceL1" -> c.apply1("ReduceSum", a, c.step("Abs", Attrs.EMPTY, x));
      case "ReduceL2" -> c.apply1("Sqrt", Attrs.EMPTY, c.step("ReduceSum", a, c.step("Mul", Attrs.EMPTY, x, x)));
      case "ReduceSumSquare" -> c.apply1("ReduceSum", a, c.step("Mul", Attrs.EMPTY, x, x));
      case "ReduceLogSum" -> c.apply1("Log", Attrs.EMPTY, c.step("ReduceSum", a, x));
      default -> {
        Object mKeep = c.step("ReduceMax", a.with("keepdims", true), x);
        Object s = c.step("ReduceSum", a, c.step("Exp", Attrs.EMPTY, c.step("Sub", Attrs.EMPTY, x, mKeep)));
        Object m = a.getBool("keepdims") ? mKeep : c.step("ReduceMax", a, x);
        yield c.apply1("Add", Attrs.EMPTY, m, c.step("Log", Attrs.EMPTY, s));
      }
    };
    c.define(y);
  }
}
