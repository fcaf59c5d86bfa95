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
 * constant inputs). Indices must lie in [0, depth): ONNX wraps negative ones, TF zeroes them.
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

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("OneHot", 11, e -> {
      Attrs a = e.node().attrs();
      DType out = a.getDType("dtype");
      String depth = e.constant(HostTensor.ofLongs(new long[] {a.getLong("depth")}, 1), "depth");
      String values = e.constant(HostTensor.fromDoubles(out, new double[] {0, 1}, 2), "values");
      e.emit("OneHot", List.of(e.input(0), depth, values), List.of(e.output(0)), Map.of("axis", a.getLong("axis")));
    }));
  }

  @Override public TfLowering tf() {
    return TfLowering.custom("OneHot", e -> {
      Attrs a = e.node().attrs();
      DType out = a.getDType("dtype");
      Object depth = e.constant(HostTensor.ofInts(new int[] {Math.toIntExact(a.getLong("depth"))}));
      return e.op("OneHot", List.of(e.input(0), depth, e.constant(HostTensor.scalar(out, 1)),
          e.constant(HostTensor.scalar(out, 0))), Map.of("axis", a.getLong("axis")), 1);
    });
  }
}
