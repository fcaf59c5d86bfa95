package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Permutes axes: output axis i is input axis perm[i]; an empty perm reverses them. ONNX Transpose-13. */
public final class Transpose extends Op {
  @Override public String summary() { return "y = x with axes permuted (output axis i = input axis perm[i])"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("perm", AttrKind.INTS, new long[0], "axis permutation; empty reverses the axes");
  }

  /** The permutation to use for rank {@code rank}: {@code perm}, or the reversal when it is empty. */
  public static long[] permFor(long[] perm, int rank) {
    if (perm.length > 0) return perm;
    long[] p = new long[rank];
    for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
    return p;
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] perm = permFor(attrs.getLongs("perm"), x.rank());
    if (perm.length != x.rank()) {
      throw new ShapeException("perm " + Arrays.toString(perm) + " has " + perm.length + " entries but input x " + x
          + " has rank " + x.rank());
    }
    boolean[] seen = new boolean[perm.length];
    List<Dim> out = new ArrayList<>();
    for (long p : perm) {
      if (p < 0 || p >= perm.length || seen[(int) p]) {
        throw new ShapeException("perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (perm.length - 1));
      }
      seen[(int) p] = true;
      out.add(x.shape().dim((int) p));
    }
    return List.of(x.withShape(Shape.of(out)));
  }

  /** The gradient permuted back by the inverse permutation. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      long[] perm = permFor(node.attrs().getLongs("perm"), node.inputs().get(0).type().rank());
      long[] inv = new long[perm.length];
      for (int i = 0; i < perm.length; i++) inv[(int) perm[i]] = i;
      return List.of(Ops.transpose(b, gys.get(0), inv));
    };
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Transpose", 13, Transpose::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    long[] perm = permFor(e.node().attrs().getLongs("perm"), e.node().inputs().get(0).type().rank());
    e.emit("Transpose", List.of(e.input(0)), List.of(e.output(0)), Map.of("perm", perm));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Transpose"); }
}
