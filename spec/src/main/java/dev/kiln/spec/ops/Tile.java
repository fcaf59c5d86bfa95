package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
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
 * y = x repeated {@code repeats[i]} times along each axis i (NumPy tile with one repeat per axis).
 * {@link DynamicTile} takes the repeats as a run-time tensor. ONNX Tile-13 (repeats as an int64 input);
 * TF Tile.
 */
public final class Tile extends Op {
  @Override public String summary() { return "y = x repeated repeats[i] times along axis i"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("repeats", AttrKind.INTS, "times to repeat along each axis (>= 0, one per axis)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] r = attrs.getLongs("repeats");
    if (r.length != x.rank()) {
      throw new ShapeException("repeats " + Arrays.toString(r) + " must have one entry per axis of x " + x.shape());
    }
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < r.length; i++) {
      if (r[i] < 0) throw new ShapeException("repeats must be >= 0, got " + Arrays.toString(r));
      Dim d = x.shape().dim(i);
      out.add(r[i] == 1 ? d : d.isStatic() ? Dim.of(d.size() * r[i]) : r[i] == 0 ? Dim.of(0) : Dim.unknown());
    }
    return List.of(x.withShape(dev.kiln.spec.Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Tile", 13).attrAsInput("repeats", DType.I64).lowering(); }

  @Override public TfLowering tf() { return TfLowering.op("Tile").attrAsInput("repeats", DType.I64); }

  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      long[] r = node.attrs().getLongs("repeats");
      Value repeats = Ops.constant(b, HostTensor.ofLongs(r, r.length));
      return List.of(backward(b, gys.get(0), node.input(0), repeats));
    };
  }

  /**
   * dx for y = tile(x, repeats): gy viewed as [r0, d0, r1, d1, ...] (the interleave of repeats and x's
   * run-time shape), summed over the repeat axes, in x's shape. Shared with {@link DynamicTile}.
   */
  static Value backward(GraphBuilder b, Value gy, Value x, Value repeats) {
    int n = x.type().rank();
    if (n == 0) return gy;
    Attrs col = Attrs.of("axes", new long[] {1});
    Value pairs = Ops.concat(b, List.of(Ops.unsqueeze(b, repeats, col), Ops.unsqueeze(b, Ops.shape(b, x), col)), 1L);
    Value interleaved = Ops.reshape(b, pairs, new long[] {2L * n});
    Value split = Ops.dynamicReshape(b, gy, interleaved);
    long[] repeatAxes = new long[n];
    for (int i = 0; i < n; i++) repeatAxes[i] = 2L * i;
    Value summed = Ops.reduceSum(b, split, repeatAxes, false);
    return DynamicReshape.like(b, summed, x);
  }
}
