package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
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
    m.put("ReduceSum", (n, c) -> reduce(c, Ops::reduceSum, 13, true));
    m.put("ReduceMean", (n, c) -> reduce(c, Ops::reduceMean, 18, false));
    m.put("ReduceMax", (n, c) -> reduce(c, Ops::reduceMax, 18, false));
    m.put("ReduceProd", (n, c) -> reduce(c, Ops::reduceProd, 18, false));
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

  /** A facade method of a reduction, with its attributes as a whole ({@code Ops::reduceSum}). */
  private interface ReduceOp {
    Object apply(OpTarget<Object> target, Object x, Attrs attrs);
  }

  /** {@code hasDynamicForm}: axes computed at run time become {@code DynamicReduceSum}. */
  private static void reduce(ImportContext c, ReduceOp irOp, int axesInputSince, boolean hasDynamicForm) {
    if (hasDynamicForm && c.opset() >= axesInputSince && c.hasInput(1) && c.constant(1) == null) {
      // Axes computed at run time: the Dynamic form, whose rank follows from the axes' static length.
      c.onlyAttrs("keepdims", "noop_with_empty_axes");
      Attrs a = Attrs.of("keepdims", c.attrInt("keepdims", 1) != 0, "noop_with_empty_axes", c.attrInt("noop_with_empty_axes", 0) != 0);
      c.define(Ops.dynamicReduceSum(c, c.in(0), c.in(1), a));
      return;
    }
    Attrs a = reduceAttrs(c, axesInputSince);
    c.define(a == null ? Ops.identity(c, c.in(0)) : irOp.apply(c, c.in(0), a));
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
      case "ReduceMin" -> Ops.neg(c, Ops.reduceMax(c.step(), Ops.neg(c.step(), x), a));
      case "ReduceL1" -> Ops.reduceSum(c, Ops.abs(c.step(), x), a);
      case "ReduceL2" -> Ops.sqrt(c, Ops.reduceSum(c.step(), Ops.mul(c.step(), x, x), a));
      case "ReduceSumSquare" -> Ops.reduceSum(c, Ops.mul(c.step(), x, x), a);
      case "ReduceLogSum" -> Ops.log(c, Ops.reduceSum(c.step(), x, a));
      default -> {
        Object mKeep = Ops.reduceMax(c.step(), x, a.with("keepdims", true));
        Object s = Ops.reduceSum(c.step(), Ops.exp(c.step(), Ops.sub(c.step(), x, mKeep)), a);
        Object m = a.getBool("keepdims") ? mKeep : Ops.reduceMax(c.step(), x, a);
        yield Ops.add(c, m, Ops.log(c.step(), s));
      }
    };
    c.define(y);
  }
}
