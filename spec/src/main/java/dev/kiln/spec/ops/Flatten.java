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
import dev.kiln.spec.op.TfEmitter;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TfShapes;
import dev.kiln.spec.op.Vjp;
import java.util.List;
import java.util.Map;

/**
 * Flattens to 2-D: [product of axes before {@code axis}, product of the rest]. ONNX Flatten-13.
 */
public final class Flatten extends Op {
  @Override public String summary() { return "y = x as 2-D [prod(dims before axis), prod(dims from axis)]"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("axis", AttrKind.INT, 1L, "first axis of the second output dim (-rank..rank)");
  }

  /** The axis normalised to 0..rank. */
  static int axis(TensorType x, long axis) {
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

  @Override public TfLowering tf() { return TfLowering.custom("Flatten", Flatten::tfFlatten); }

  /** TF has no Flatten: Reshape to [p, -1] (or [-1, q]) when one side is static, else compute both products. */
  private static List<Object> tfFlatten(TfEmitter e) {
    TensorType x = e.node().inputs().get(0).type();
    TensorType y = e.node().outputs().get(0).type();
    Object shape;
    if (y.shape().dim(0).isStatic()) shape = TfShapes.longs(e, y.shape().dim(0).size(), -1);
    else if (y.shape().dim(1).isStatic()) shape = TfShapes.longs(e, -1, y.shape().dim(1).size());
    else {
      int axis = axis(x, e.node().attrs().getLong("axis"));
      Object s = TfShapes.shapeOf(e, e.input(0));
      shape = TfShapes.concat(e, List.of(TfShapes.prod(e, TfShapes.range(e, s, 0, axis)),
          TfShapes.prod(e, TfShapes.range(e, s, axis, x.rank()))), 0);
    }
    return e.op("Reshape", List.of(e.input(0), shape), Map.of(), 1);
  }
}
