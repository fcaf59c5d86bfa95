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
import java.util.List;

/**
 * Flattens to 2-D: [product of axes before {@code axis}, product of the rest]. ONNX Flatten-13.
 */
public final class Flatten extends Op {
  @Override public String summary() { return "y = x as 2-D [prod(dims before axis), prod(dims from axis)]"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("axis", AttrKind.INT, 1L, "first axis of the second output dim (-rank..rank)");
  }

  /** The axis normalised to 0..rank. */
  public static int axis(TensorType x, long axis) {
    long a = axis < 0 ? axis + x.rank() : axis;
    if (a < 0 || a > x.rank()) {
      throw new ShapeException("axis " + axis + " is out of range [" + -x.rank() + ", " + x.rank() + "] for input x " + x);
    }
    return (int) a;
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    int axis = axis(x, attrs.getLong("axis"));
    return List.of(x.withShape(Shape.of(product(x.shape().dims().subList(0, axis)),
        product(x.shape().dims().subList(axis, x.rank())))));
  }

  private static Dim product(List<Dim> dims) {
    Dim p = Dim.of(1);
    for (Dim d : dims) p = p.times(d);
    return p;
  }

  /** The gradient reshaped back to the input's shape. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(DynamicReshape.like(b, gys.get(0), node.inputs().get(0)));
  }

  /** A view: a constant keeps its bytes, a shape value its entries, a fill its value ({@link dev.kiln.spec.op.Folding#view}). */
  @Override public dev.kiln.spec.op.Folder folder() { return dev.kiln.spec.op.Folding.view(this); }

  @Override public OnnxLowering onnx() { return Onnx.op("Flatten", 13).attr("axis").lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("Flatten"); }
}
