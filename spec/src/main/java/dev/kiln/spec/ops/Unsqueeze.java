package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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

/**
 * Inserts size-1 axes at {@code axes}, positions in the output (negative counts from the output's end).
 * ONNX Unsqueeze-13 (axes as an input).
 */
public final class Unsqueeze extends Op {
  @Override public String summary() { return "y = x with size-1 axes inserted at the output positions axes"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("axes", AttrKind.INTS, "output positions of the new size-1 axes");
  }

  /** The output positions, normalised against the output rank and sorted. */
  public static long[] positions(TensorType x, long[] axes) {
    int r = x.rank() + axes.length;
    long[] p = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      long a = axes[i] < 0 ? axes[i] + r : axes[i];
      if (a < 0 || a >= r) {
        throw new ShapeException("axis " + axes[i] + " is out of range for output rank " + r + " (input x " + x + ")");
      }
      p[i] = a;
    }
    Arrays.sort(p);
    for (int i = 1; i < p.length; i++) {
      if (p[i] == p[i - 1]) throw new ShapeException("axes " + Arrays.toString(axes) + " repeat output axis " + p[i]);
    }
    if (p.length == 0) throw new ShapeException("axes must not be empty");
    return p;
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] p = positions(x, attrs.getLongs("axes"));
    List<Dim> out = new ArrayList<>();
    int src = 0;
    for (int d = 0; d < x.rank() + p.length; d++) out.add(Arrays.binarySearch(p, d) >= 0 ? Dim.of(1) : x.shape().dim(src++));
    return List.of(x.withShape(Shape.of(out)));
  }

  /** The inserted axes removed again. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(Ops.squeeze(b, gys.get(0), positions(node.inputs().get(0).type(), node.attrs().getLongs("axes"))));
  }

  /** A view: a constant keeps its bytes, a shape value its entries, a fill its value ({@link dev.kiln.spec.op.Folding#view}). */
  @Override public dev.kiln.spec.op.Folder folder() { return dev.kiln.spec.op.Folding.view(this); }

  @Override public OnnxLowering onnx() { return Onnx.op("Unsqueeze", 13).attrAsInput("axes", DType.I64).lowering(); }

  /** ExpandDims once per axis, in ascending output position, so earlier insertions do not shift later ones. */
  @Override public TfLowering tf() { return TfLowering.custom("ExpandDims"); }
}
