package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Ops whose ONNX form needs more than a renaming: Softmax/LogSoftmax before opset 13 (which flatten to
 * 2-D at {@code axis}), Gemm (composed of Transpose, MatMul, Mul and Add), Sum, Dropout in inference,
 * Sub/Mul/Div, Cast (with the newer {@code saturate} left at its default), Celu.
 */
final class MathImporters {
  private MathImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Softmax", (n, c) -> softmax(c, "Softmax", Ops::softmax));
    m.put("LogSoftmax", (n, c) -> softmax(c, "LogSoftmax", Ops::logSoftmax));
    m.put("Gemm", MathImporters::gemm);
    m.put("Sum", MathImporters::sum);
    m.put("Dropout", MathImporters::dropout);
    m.put("Sub", (n, c) -> binary(c, Ops::sub));
    m.put("Mul", (n, c) -> binary(c, Ops::mul));
    m.put("Div", (n, c) -> binary(c, Ops::div));
    m.put("Cast", MathImporters::cast);
    // Celu's export is hand-written (ONNX Celu is f32 only), so it has no one-to-one form to read back.
    m.put("Celu", (n, c) -> {
      c.onlyAttrs("alpha");
      c.define(Ops.celu(c, c.in(0), c.attrFloat("alpha", 1.0)));
    });
    m.put("Pow", MathImporters::pow);
    m.put("Neg", (n, c) -> {
      c.onlyAttrs();
      c.define(Ops.neg(c, c.in(0)));
    });
  }

  /**
   * ONNX Pow (12+) lets the exponent's dtype differ from the base's; the result has the base's dtype.
   * The IR's Pow takes one dtype, so the exponent is cast to the base's first.
   * NOTE: a fractional exponent cast to an integer base dtype truncates; ONNX leaves integer powers with
   * fractional exponents implementation-defined.
   */
  private static void pow(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    Object x = c.in(0);
    Object e = c.in(1);
    DType xt = dtypeOf(x);
    if (dtypeOf(e) != xt) e = Ops.cast(c.step(), e, xt);
    c.define(Ops.pow(c, x, e));
  }

  private static DType dtypeOf(Object o) { return ImportContext.typeOf(o).dtype(); }

  private static Shape shapeOf(Object o) {
    return ImportContext.typeOf(o).shape();
  }

  /**
   * Before opset 13 Softmax normalises over all axes from {@code axis} on (default 1) as one; that is the
   * IR's last-axis softmax when {@code axis} is the last axis, and otherwise Flatten, softmax, Reshape.
   */
  private static void softmax(ImportContext c, String op, AxisOp irOp) {
    c.onlyAttrs("axis");
    Object x = c.in(0);
    int rank = shapeOf(x).rank();
    if (c.opset() >= 13) {
      c.define(irOp.apply(c, x, c.attrInt("axis", -1)));
      return;
    }
    long axis = c.attrInt("axis", 1);
    if (axis < 0) axis += rank;
    if (axis == rank - 1 || rank == 0) {
      c.define(irOp.apply(c, x, -1L));
      return;
    }
    Shape s = shapeOf(x);
    if (!s.isStatic()) throw c.unsupported(op + " before opset 13 over several dynamic axes is not supported");
    Object flat = Ops.flatten(c.step(), x, axis);
    Object y = irOp.apply(c.step(), flat, -1L);
    c.define(Ops.reshape(c, y, s.sizes()));
  }

  /** y = alpha * A' B' + beta * C, with A' = transpose(A) when transA, likewise B. */
  private static void gemm(NodeProto n, ImportContext c) {
    c.onlyAttrs("alpha", "beta", "transA", "transB", "broadcast");
    Object a = c.in(0);
    Object b = c.in(1);
    if (c.attrInt("transA", 0) != 0) a = Ops.transpose(c.step(), a, new long[] {1, 0});
    if (c.attrInt("transB", 0) != 0) b = Ops.transpose(c.step(), b, new long[] {1, 0});
    double alpha = c.attrFloat("alpha", 1.0);
    double beta = c.attrFloat("beta", 1.0);
    boolean bias = c.hasInput(2) && beta != 0.0;
    if (alpha == 1.0 && !bias) {
      c.define(Ops.matMul(c, a, b));
      return;
    }
    Object y = Ops.matMul(c.step(), a, b);
    DType dt = c.toValue(y).type().dtype();
    if (alpha != 1.0) {
      HostTensor s = HostTensor.fromDoubles(dt, new double[] {alpha});
      y = bias ? Ops.mul(c.step(), y, s) : Ops.mul(c, y, s);
    }
    if (bias) {
      Object cc = c.in(2);
      if (beta != 1.0) cc = Ops.mul(c.step(), cc, HostTensor.fromDoubles(dt, new double[] {beta}));
      y = Ops.add(c, y, cc);
    }
    c.define(y);
  }

  private static void sum(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    if (c.inputCount() == 0) throw c.fail("needs at least one input");
    Object acc = c.in(0);
    for (int i = 1; i < c.inputCount(); i++) {
      acc = i == c.inputCount() - 1 ? Ops.add(c, acc, c.in(i)) : Ops.add(c.step(), acc, c.in(i));
    }
    if (c.inputCount() == 1) acc = Ops.identity(c, acc);
    c.define(acc);
  }

  /** Inference: Dropout is the identity (training_mode must be absent or constant false). */
  private static void dropout(NodeProto n, ImportContext c) {
    c.onlyAttrs("ratio", "seed", "is_test");
    if (c.hasInput(2)) {
      HostTensor t = c.constant(2);
      if (t == null || t.getDouble(0) != 0) {
        // Training form (true, or decided at run time): random, composed on RandomUniformLike.
        RandomImporters.dropoutTraining(c, t);
        return;
      }
    }
    c.define(Ops.identity(c, c.in(0)));
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
      // In inference every element is kept: the mask is all true.
      Shape s = shapeOf(c.in(0));
      if (!s.isStatic()) throw c.unsupported("the mask output needs a static input shape, got " + s);
      boolean[] ones = new boolean[Math.toIntExact(s.elementCount())];
      java.util.Arrays.fill(ones, true);
      c.define(1, HostTensor.ofBooleans(ones, s.sizes()));
    }
  }

  /** Sub, Mul, Div (opset 7+ broadcasting); the ops fold constants and shape arithmetic themselves. */
  private static void binary(ImportContext c, BinaryOp irOp) {
    c.onlyAttrs();
    c.define(irOp.apply(c, c.in(0), c.in(1)));
  }

  /** A facade method of an op along an axis ({@code Ops::softmax}). */
  private interface AxisOp {
    Object apply(OpTarget<Object> target, Object x, long axis);
  }

  /** A facade method of a binary op ({@code Ops::sub}). */
  private interface BinaryOp {
    Object apply(OpTarget<Object> target, Object a, Object b);
  }

  private static void cast(NodeProto n, ImportContext c) {
    c.onlyAttrs("to", "saturate");
    DType to = (DType) ProtoAttrs.toIr(c.attr("to") == null ? failTo(c) : c.attr("to"), dev.kiln.spec.op.AttrSpec.AttrKind.DTYPE, c);
    c.define(Ops.cast(c, c.in(0), to));
  }

  private static ai.onnx.proto.OnnxMl.AttributeProto failTo(ImportContext c) { throw c.fail("attribute 'to' is required"); }
}
