package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
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
import java.util.List;
import java.util.Map;

/**
 * y = one-hot encoding of integer {@code indices}: a new axis of size {@code depth} at {@code axis}, 1 at
 * the index and 0 elsewhere, in {@code dtype}. An index in [-depth, -1] counts from the end (ONNX's
 * rule); one outside [-depth, depth - 1] gives an all-zero row. ONNX OneHot-11 (depth and values
 * [off, on] as inputs); TF OneHot, with negative indices moved up by depth first.
 */
public final class OneHot extends Op {
  @Override public String summary() { return "y = one-hot of integer indices along a new axis of size depth"; }

  @Override public Signature signature() {
    return Signature.inputs("indices")
        .required("depth", AttrKind.INT, "number of classes (size of the new axis)")
        .attr("dtype", AttrKind.DTYPE, DType.F32, "output dtype")
        .attr("axis", AttrKind.INT, -1L, "where the new axis goes (-1: last)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    if (x.dtype() != DType.I32 && x.dtype() != DType.I64) {
      throw new ShapeException("input indices must be i32 or i64, got " + x);
    }
    long depth = attrs.getLong("depth");
    if (depth < 1) throw new ShapeException("attribute depth must be >= 1, got " + depth);
    int r = x.rank() + 1;
    long axis = attrs.getLong("axis");
    if (axis < -r || axis >= r) {
      throw new ShapeException("attribute axis " + axis + " is out of range [" + -r + ", " + (r - 1) + "] for output rank " + r);
    }
    List<Dim> out = new ArrayList<>(x.shape().dims());
    out.add((int) (axis < 0 ? axis + r : axis), Dim.of(depth));
    return List.of(new TensorType(attrs.getDType("dtype"), Shape.of(out)));
  }

  /**
   * NOTE: ONNX Runtime implements OneHot for few (indices, output, depth) type triples; (i64, f32, i64) and
   * (i64, i64, i64) are among them, so indices go in as i64 and the result comes out as f32 (i64 for
   * i64 output) and is cast to {@code dtype} when that differs.
   */
  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("OneHot", 11, e -> {
      Attrs a = e.node().attrs();
      DType want = a.getDType("dtype");
      DType made = want == DType.I64 ? DType.I64 : DType.F32;
      String idx = e.input(0);
      if (e.node().input(0).type().dtype() != DType.I64) {
        idx = e.fresh("indices_i64");
        e.emit("Cast", List.of(e.input(0)), List.of(idx), Map.of("to", (long) DType.I64.onnxCode()));
      }
      String depth = e.constant(HostTensor.ofLongs(new long[] {a.getLong("depth")}, 1), "depth");
      String values = e.constant(HostTensor.fromDoubles(made, new double[] {0, 1}, 2), "values");
      String y = made == want ? e.output(0) : e.fresh("onehot_" + made);
      e.emit("OneHot", List.of(idx, depth, values), List.of(y), Map.of("axis", axis(e.node())));
      if (made != want) e.emit("Cast", List.of(y), List.of(e.output(0)), Map.of("to", (long) want.onnxCode()));
    }));
  }

  /** The new axis's position in the output, made non-negative (TF's OneHot accepts no axis below -1). */
  private static long axis(dev.kiln.spec.ir.Node n) {
    long axis = n.attrs().getLong("axis");
    return axis < 0 ? axis + n.input(0).type().rank() + 1 : axis;
  }

  @Override public TfLowering tf() { return TfLowering.custom("OneHot"); }

  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
