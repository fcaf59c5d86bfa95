package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * y = one-hot encoding of integer {@code indices}: a new axis of size {@code depth} at {@code axis}
 * holding 1 at the index and 0 elsewhere, in {@code dtype}. ONNX OneHot-11 (depth and values as
 * constant inputs). Negative indices in [-depth, 0) count from the end, as in ONNX.
 */
public final class OneHot extends Op {
  @Override public String summary() { return "y = one-hot of integer indices along a new axis of size depth"; }

  @Override public Signature signature() {
    return Signature.inputs("indices")
        .required("depth", AttrKind.INT, "number of classes")
        .attr("dtype", AttrKind.DTYPE, DType.F32, "output dtype")
        .attr("axis", AttrKind.INT, -1L, "where the new axis goes (-1: last)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    if (x.dtype() != DType.I64 && x.dtype() != DType.I32) {
      throw new ShapeException("input indices must be i32 or i64, got " + x.dtype());
    }
    long depth = attrs.getLong("depth");
    if (depth < 1) throw new ShapeException("attribute depth must be >= 1, got " + depth);
    int rank = x.rank() + 1;
    long axis = attrs.getLong("axis");
    if (axis < -rank || axis >= rank) {
      throw new ShapeException("attribute axis must be in [" + -rank + ", " + (rank - 1) + "], got " + axis);
    }
    int a = (int) (axis < 0 ? axis + rank : axis);
    List<Dim> dims = new ArrayList<>(x.shape().dims());
    dims.add(a, Dim.of(depth));
    return List.of(new TensorType(attrs.getDType("dtype"), dev.kiln.spec.Shape.of(dims)));
  }

  /**
   * NOTE: ONNX Runtime registers OneHot for few (indices, output) type pairs, so i32 indices are cast to
   * i64 and outputs other than f32/i64 are made in f32 and cast.
   */
  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("OneHot", 11, e -> {
      Attrs a = e.node().attrs();
      DType out = a.getDType("dtype");
      String indices = e.input(0);
      if (e.node().input(0).type().dtype() != DType.I64) {
        indices = e.fresh("indices_i64");
        e.emit("Cast", List.of(e.input(0)), List.of(indices), Map.of("to", DType.I64));
      }
      boolean direct = out == DType.F32 || out == DType.I64;
      String depth = e.constant(HostTensor.ofLongs(new long[] {a.getLong("depth")}, 1), "depth");
      String values = e.constant(HostTensor.fromDoubles(direct ? out : DType.F32, new double[] {0, 1}, 2), "values");
      String y = direct ? e.output(0) : e.fresh("onehot_f32");
      e.emit("OneHot", List.of(indices, depth, values), List.of(y), Map.of("axis", a.getLong("axis")));
      if (!direct) e.emit("Cast", List.of(y), List.of(e.output(0)), Map.of("to", out));
    }));
  }

  /** NOTE: TF's OneHot zeroes negative indices where ONNX wraps them (-1 is depth - 1); they are wrapped first. */
  @Override public TfLowering tf() {
    return TfLowering.custom("OneHot", e -> {
      Attrs a = e.node().attrs();
      DType out = a.getDType("dtype");
      DType in = e.node().input(0).type().dtype();
      long depth = a.getLong("depth");
      Object negative = e.op("Less", List.of(e.input(0), e.constant(HostTensor.scalar(in, 0))), Map.of(), 1).get(0);
      Object wrapped = e.op("AddV2", List.of(e.input(0), e.constant(HostTensor.scalar(in, depth))), Map.of(), 1).get(0);
      Object indices = e.op("SelectV2", List.of(negative, wrapped, e.input(0)), Map.of(), 1).get(0);
      Object d = e.constant(HostTensor.ofInts(new int[] {Math.toIntExact(depth)}));
      return e.op("OneHot", List.of(indices, d, e.constant(HostTensor.scalar(out, 1)),
          e.constant(HostTensor.scalar(out, 0))), Map.of("axis", a.getLong("axis")), 1);
    });
  }
}
