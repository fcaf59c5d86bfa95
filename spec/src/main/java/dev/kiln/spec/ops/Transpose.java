package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** y = x with axes permuted: y.shape[i] = x.shape[perm[i]]; empty perm reverses the axes. ONNX Transpose-13. */
public final class Transpose extends Op {
  @Override public String summary() { return "y = x with axes permuted by perm (empty = reversed)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("perm", AttrKind.INTS, new long[0], "the permutation; empty reverses");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Shape xs = in.get(0).shape();
    int[] p = perm(xs.rank(), attrs.getLongs("perm"));
    List<Dim> out = new ArrayList<>();
    for (int a : p) out.add(xs.dim(a));
    return List.of(in.get(0).withShape(Shape.of(out)));
  }

  /** The permutation, checked (a permutation of 0..rank-1), with empty meaning reversed. */
  static int[] perm(int rank, long[] perm) {
    int[] p = new int[rank];
    if (perm.length == 0) {
      for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
      return p;
    }
    if (perm.length != rank) throw new ShapeException("perm " + Arrays.toString(perm) + " has " + perm.length + " entries, expected " + rank);
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < rank; i++) {
      long a = perm[i];
      if (a < 0 || a >= rank || seen[(int) a]) throw new ShapeException("perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (rank - 1));
      seen[(int) a] = true;
      p[i] = (int) a;
    }
    return p;
  }

  @Override public OnnxLowering onnx() {
    // Always emit an explicit perm, so the ONNX node does not depend on the default.
    return Onnx.forms(Onnx.custom("Transpose", 13, e -> {
      int[] p = perm(e.node().input(0).type().rank(), e.node().attrs().getLongs("perm"));
      e.emit("Transpose", List.of(e.input(0)), List.of(e.output(0)),
          Map.of("perm", Arrays.stream(p).asLongStream().toArray()));
    }));
  }

  @Override public TfLowering tf() {
    return TfLowering.custom("Transpose", e -> {
      int[] p = perm(e.node().input(0).type().rank(), e.node().attrs().getLongs("perm"));
      long[] pl = Arrays.stream(p).asLongStream().toArray();
      return e.op("Transpose", List.of(e.input(0), e.constant(dev.kiln.spec.HostTensor.ofLongs(pl, pl.length))), Map.of(), 1);
    });
  }

  /** dx = transpose(gy, inverse(perm)). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      int[] p = perm(node.input(0).type().rank(), node.attrs().getLongs("perm"));
      long[] inv = new long[p.length];
      for (int i = 0; i < p.length; i++) inv[p[i]] = i;
      return List.of(b.apply1("Transpose", Attrs.of("perm", inv), gys.get(0)));
    };
  }
}
