package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * y = data with each element of {@code updates} written at its own position but with the coordinate on
 * {@code axis} replaced by the matching element of {@code indices} (negative counting from the end):
 * replaced (none; repeats undefined, as in ONNX) or combined by add, mul, max or min. ONNX
 * ScatterElements-16 (max / min from 18; also read from Scatter-9/10); elsewhere a composite: the full
 * coordinates are built (constants for the other axes) and handed to ScatterND.
 */
public final class ScatterElements extends Op {
  @Override public String summary() { return "y = data with updates written (or added...) at indices along axis, element by element"; }

  @Override public Signature signature() {
    return Signature.inputs("data", "indices", "updates")
        .attr("axis", AttrKind.INT, 0L, "the axis the indices address")
        .attr("reduction", AttrKind.STRING, "none", "none, add, mul, max or min");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType data = in.get(0);
    TensorType idx = in.get(1);
    TensorType up = in.get(2);
    String red = a.getString("reduction");
    if (!ScatterND.REDUCTIONS.contains(red)) throw new ShapeException("attribute reduction must be one of " + new java.util.TreeSet<>(ScatterND.REDUCTIONS) + ", got '" + red + "'");
    if (!red.equals("none")) TypeRules.requireNumeric("input data", data);
    if (idx.dtype() != DType.I32 && idx.dtype() != DType.I64) throw new ShapeException("input indices must be i32 or i64, got " + idx);
    if (up.dtype() != data.dtype()) throw new ShapeException("input updates has dtype " + up.dtype() + " but data has " + data.dtype());
    Gather.axis(data, a);
    if (idx.rank() != data.rank()) throw new ShapeException("input indices must have data's rank " + data.rank() + ", got " + idx);
    if (up.rank() != idx.rank()) throw new ShapeException("input updates must have the shape of indices " + idx.shape() + ", got " + up.shape());
    for (int i = 0; i < idx.rank(); i++) TypeRules.unify("input updates must have the shape of indices, axis " + i, up.shape().dim(i), idx.shape().dim(i));
    return List.of(data);
  }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("ScatterElements", 16, e -> {
      Attrs a = e.node().attrs();
      String red = a.getString("reduction");
      if ((red.equals("max") || red.equals("min")) && e.opset() < 18) {
        throw new UnsupportedOpException("ScatterElements with reduction " + red + " needs ONNX opset 18, exporting " + e.opset());
      }
      e.emit("ScatterElements", List.of(e.input(0), e.input(1), e.input(2)), List.of(e.output(0)),
          Map.of("axis", (long) Gather.axis(e.node().input(0).type(), a), "reduction", red));
    }));
  }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native form; runs its decomposition (ScatterND)"); }

  /**
   * coords[p] = (p_0, .., indices[p], .., p_{r-1}) as an int64 tensor of shape indices.shape + [r] (static
   * index shape and axis size needed above rank 1; negative indices moved up by the axis size), then ScatterND.
   */
  @Override public Decomposition decomposition() {
    return (b, node, in) -> {
      TensorType data = node.input(0).type();
      TensorType it = node.input(1).type();
      int ax = Gather.axis(data, node.attrs());
      if (it.rank() == 1) return List.of(rankOne(b, node, in));
      if (!it.shape().isStatic() || !data.shape().dim(ax).isStatic()) {
        throw new KilnException("ScatterElements: decomposing needs a static indices shape and axis size, got " + it + " into " + data);
      }
      Value idx = it.dtype() == DType.I64 ? in.get(1) : Ops.cast(b, in.get(1), DType.I64);
      Value size = constant(b, HostTensor.ofLongs(new long[] {data.shape().dim(ax).size()}));
      Value neg = Ops.less(b, idx, constant(b, HostTensor.ofLongs(new long[] {0})));
      idx = Ops.where(b, neg, Ops.add(b, idx, size), idx);
      long[] s = it.shape().sizes();
      int r = s.length;
      long count = Shape.of(s).elementCount();
      List<Value> parts = new ArrayList<>();
      long[] one = java.util.Arrays.copyOf(s, r + 1);
      one[r] = 1;
      for (int j = 0; j < r; j++) {
        if (j == ax) {
          parts.add(Ops.unsqueeze(b, idx, new long[] {r}));
          continue;
        }
        long[] c = new long[Math.toIntExact(count)];
        for (long p = 0; p < count; p++) {
          long rest = p;
          for (int d = r - 1; d > j; d--) rest /= s[d];
          c[(int) p] = rest % s[j];
        }
        parts.add(constant(b, HostTensor.ofLongs(c, one)));
      }
      Value coords = Ops.concat(b, parts, (long) r);
      return List.of(Ops.scatterND(b, in.get(0), coords, in.get(2), node.attrs().getString("reduction")));
    };
  }

  /**
   * The 1-D case (a permutation's inverse, as torch.onnx writes for pack_padded_sequence): the coordinates are the
   * indices themselves, so no other axis needs constants and both sizes may be known only at run time (the axis
   * size for negative indices then comes from Shape).
   */
  private static Value rankOne(GraphBuilder b, dev.kiln.spec.ir.Node node, List<Value> in) {
    TensorType data = node.input(0).type();
    Value idx = node.input(1).type().dtype() == DType.I64 ? in.get(1) : Ops.cast(b, in.get(1), DType.I64);
    Value size = data.shape().dim(0).isStatic() ? constant(b, HostTensor.ofLongs(new long[] {data.shape().dim(0).size()}))
        : Ops.shape(b, in.get(0));
    Value neg = Ops.less(b, idx, constant(b, HostTensor.ofLongs(new long[] {0})));
    idx = Ops.where(b, neg, Ops.add(b, idx, size), idx);
    return Ops.scatterND(b, in.get(0), Ops.unsqueeze(b, idx, new long[] {1}), in.get(2), node.attrs().getString("reduction"));
  }

  private static Value constant(GraphBuilder b, HostTensor t) { return Ops.constant(b, t); }
}
