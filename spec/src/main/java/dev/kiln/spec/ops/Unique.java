package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct elements of x ({@code flatten}: of x flattened) or distinct slices along {@code axis}, with four
 * outputs: y (the distinct values or slices, ascending when {@code sorted} (slices lexicographically), else in order
 * of first occurrence), indices (i64: where each first occurs in x), inverse_indices (i64: for each element or slice
 * of x, its position in y) and counts (i64). Their count is known only at run time. ONNX Unique-11; TF
 * UniqueWithCountsV2, sorted by ranks counted from pairwise comparisons.
 */
public final class Unique extends Op {
  @Override public String summary() { return "y, indices, inverse_indices, counts = the distinct elements (or slices along axis) of x"; }

  @Override public Signature signature() {
    return Signature.inputs("x").outputs(4)
        .attr("flatten", AttrKind.BOOL, true, "over x flattened (ONNX: no axis); false: slices along axis")
        .attr("axis", AttrKind.INT, 0L, "the axis whose slices are compared when not flatten; negative counts from the end")
        .attr("sorted", AttrKind.BOOL, true, "ascending order; false: order of first occurrence");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    Dim unknown = Dim.unknown();
    TensorType count = new TensorType(DType.I64, Shape.of(unknown));
    if (a.getBool("flatten")) {
      Dim n = x.shape().isStatic() ? Dim.of(x.shape().elementCount()) : unknown;
      return List.of(new TensorType(x.dtype(), Shape.of(unknown)), count, new TensorType(DType.I64, Shape.of(n)), count);
    }
    int axis = axis(x, a);
    List<Dim> dims = new ArrayList<>(x.shape().dims());
    dims.set(axis, unknown);
    return List.of(new TensorType(x.dtype(), Shape.of(dims)), count, new TensorType(DType.I64, Shape.of(x.shape().dim(axis))), count);
  }

  /** The axis, normalised; an error when x has no such axis. */
  public static int axis(TensorType x, Attrs a) {
    long axis = a.getLong("axis");
    if (x.rank() < 1) throw new ShapeException("input x must have rank >= 1 for slices along an axis, got " + x);
    if (axis < -x.rank() || axis >= x.rank()) throw new ShapeException("attribute axis " + axis + " is out of range for " + x);
    return (int) (axis < 0 ? axis + x.rank() : axis);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Unique", 11, Unique::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("sorted", a.getBool("sorted") ? 1L : 0L);
    if (!a.getBool("flatten")) attrs.put("axis", a.getLong("axis"));
    e.emit("Unique", List.of(e.input(0)), List.of(e.output(0), e.output(1), e.output(2), e.output(3)), attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("UniqueWithCountsV2 (+ ranks by pairwise comparison when sorted)"); }

  /** The outputs select and count elements: no gradient is defined here. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
