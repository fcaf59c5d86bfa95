package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Boolean logic, the non-strict comparisons, CastLike and Trilu, composed of Equal, Greater, Less, Add,
 * Cast and Where: Not b = (b == false); with s = int(a) + int(b): And = s > 1, Or = s > 0, Xor = s == 1;
 * a >= b = not (a < b); a <= b = not (a > b). All broadcast as ONNX's do.
 * NOTE: the logic ops count in i32 rather than select with Where, because ONNX Runtime has no bool
 * kernel for Where.
 */
final class LogicImporters {
  private LogicImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Not", (n, c) -> {
      c.onlyAttrs();
      requireBool(c, c.in(0), "x");
      c.define(Ops.equal(c, c.in(0), bool(false)));
    });
    m.put("And", (n, c) -> logic(c, "And"));
    m.put("Or", (n, c) -> logic(c, "Or"));
    m.put("Xor", (n, c) -> logic(c, "Xor"));
    m.put("GreaterOrEqual", (n, c) -> {
      c.onlyAttrs();
      c.define(Ops.equal(c, Ops.less(c.step(), c.in(0), c.in(1)), bool(false)));
    });
    m.put("LessOrEqual", (n, c) -> {
      c.onlyAttrs();
      c.define(Ops.equal(c, Ops.greater(c.step(), c.in(0), c.in(1)), bool(false)));
    });
    m.put("CastLike", (n, c) -> {
      c.onlyAttrs("saturate");
      if (c.attrInt("saturate", 1) != 1) throw c.unsupported("saturate=0 is not supported");
      if (c.in(1) == null) throw c.fail("input 1 (target_type) is required");
      c.define(Ops.cast(c, c.in(0), dtypeOf(c.in(1))));
    });
    m.put("Trilu", LogicImporters::trilu);
  }

  private static void logic(ImportContext c, String op) {
    c.onlyAttrs();
    Object a = c.in(0);
    Object b = c.in(1);
    requireBool(c, a, "A");
    requireBool(c, b, "B");
    Attrs toInt = Attrs.of("to", DType.I32);
    Object sum = Ops.add(c.step(), Ops.cast(c.step(), a, toInt), Ops.cast(c.step(), b, toInt));
    Object y = switch (op) {
      case "And" -> Ops.greater(c, sum, HostTensor.scalar(DType.I32, 1));
      case "Or" -> Ops.greater(c, sum, HostTensor.scalar(DType.I32, 0));
      default -> Ops.equal(c, sum, HostTensor.scalar(DType.I32, 1));
    };
    c.define(y);
  }

  /**
   * Keeps x[..., i, j] where j - i <= k (lower, upper = 0) or j - i >= k (upper = 1), else 0: a constant
   * table of j - i compared with k (an input, constant or not; default 0), then Where. Exact for every
   * value, infinities included, since nothing is multiplied.
   */
  private static void trilu(NodeProto n, ImportContext c) {
    c.onlyAttrs("upper");
    boolean upper = c.attrInt("upper", 1) != 0;
    Object x = c.in(0);
    Shape s = shapeOf(x);
    if (s.rank() < 2) throw c.fail("input must have rank >= 2, has " + s.rank());
    if (!s.dim(s.rank() - 2).isStatic() || !s.dim(s.rank() - 1).isStatic()) {
      throw c.unsupported("the last two axes must have static sizes, got " + s);
    }
    long rows = s.dim(s.rank() - 2).size();
    long cols = s.dim(s.rank() - 1).size();
    if (rows * cols > ImportContext.MAX_FOLD_ELEMENTS) throw c.unsupported("a " + rows + "x" + cols + " matrix is too large to mask");
    long[] diff = new long[(int) (rows * cols)];
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) diff[(int) (i * cols + j)] = (long) j - i;
    Object k = c.hasInput(1) ? c.in(1) : HostTensor.ofLongs(new long[] {0});
    if (dtypeOf(k) != DType.I64) throw c.fail("k must be i64, got " + dtypeOf(k));
    if (shapeOf(k).elementCount() != 1) throw c.fail("k must hold one value, has shape " + shapeOf(k));
    if (shapeOf(k).rank() > 0) k = Ops.reshape(c.step(), k, new long[0]);
    HostTensor offsets = HostTensor.ofLongs(diff, rows, cols);
    Object drop = upper ? Ops.less(c.step(), offsets, k) : Ops.greater(c.step(), offsets, k);
    // NOTE: ONNX Runtime has no bool Where kernel, so bool inputs are refused rather than exported broken.
    if (dtypeOf(x) == DType.BOOL) throw c.unsupported("bool input is not supported");
    Object zero = HostTensor.scalar(dtypeOf(x), 0);
    c.define(Ops.where(c, drop, zero, x));
  }

  private static void requireBool(ImportContext c, Object o, String name) {
    if (dtypeOf(o) != DType.BOOL) throw c.fail("input " + name + " must be bool, got " + dtypeOf(o));
  }

  private static HostTensor bool(boolean v) { return HostTensor.scalar(DType.BOOL, v ? 1 : 0); }

  private static DType dtypeOf(Object o) { return ImportContext.typeOf(o).dtype(); }

  private static Shape shapeOf(Object o) { return ImportContext.typeOf(o).shape(); }
}
