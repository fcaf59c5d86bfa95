package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * y = slices of {@code data} along {@code axis} picked by integer {@code indices}: y has shape
 * data[:axis] + indices.shape + data[axis+1:]. An index in [-n, -1] counts from the end of the axis (n its
 * size); one outside [-n, n-1] is an error at run time. An embedding lookup is Gather on axis 0.
 * ONNX Gather-13; TF GatherV2, with negative indices moved up by n first (TF refuses them).
 */
public final class Gather extends Op {
  @Override public String summary() { return "y = data indexed by integer indices along axis (embedding lookup)"; }

  @Override public Signature signature() {
    return Signature.inputs("data", "indices").attr("axis", AttrKind.INT, 0L, "the axis of data that indices pick from");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType data = in.get(0);
    TensorType idx = in.get(1);
    if (idx.dtype() != DType.I32 && idx.dtype() != DType.I64) throw new ShapeException("input indices must be i32 or i64, got " + idx);
    int a = axis(data, attrs);
    return List.of(new TensorType(data.dtype(), gathered(data.shape(), idx.shape(), a)));
  }

  /** The shape data[:axis] + indices + data[axis+1:]. */
  static Shape gathered(Shape data, Shape indices, int axis) {
    List<Dim> out = new ArrayList<>(data.dims().subList(0, axis));
    out.addAll(indices.dims());
    out.addAll(data.dims().subList(axis + 1, data.rank()));
    return Shape.of(out);
  }

  /** The attribute axis made non-negative, checked against data's rank. */
  public static int axis(TensorType data, Attrs attrs) {
    int r = data.rank();
    if (r < 1) throw new ShapeException("input data must have rank >= 1, got " + data);
    long axis = attrs.getLong("axis");
    if (axis < -r || axis >= r) throw new ShapeException("attribute axis " + axis + " is out of range [" + -r + ", " + (r - 1) + "] for data " + data);
    return (int) (axis < 0 ? axis + r : axis);
  }

  /**
   * Constant indices into constant data (byte copies, any dtype and axis), or into a shape value: {@code
   * Gather(Shape(x), 0)} of an {@code f32[batch, 64]} x is the scalar entry {@code batch}. An index out of
   * range is an error, as at run time.
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      HostTensor idx = in.get(1).constant();
      if (idx == null) return null;
      Folded data = in.get(0);
      int a = axis(data.type(), attrs);
      long[] ids = idx.toLongs();
      HostTensor d = data.constant();
      if (d != null) {
        if (!Folding.fits(gathered(d.type().shape(), idx.type().shape(), a).sizes())) return null;
        return List.of(Folded.of(HostArrays.gather(d, a, ids, idx.shape())));
      }
      List<SymInt> entries = data.entries();
      if (entries == null || idx.rank() > 1) return null;
      List<SymInt> out = new ArrayList<>();
      for (long i : ids) {
        long k = i < 0 ? i + entries.size() : i;
        if (k < 0 || k >= entries.size()) throw new ShapeException("index " + i + " is out of range for " + entries.size() + " entries");
        out.add(entries.get((int) k));
      }
      return List.of(Folded.ints(data.type().dtype(), out, idx.rank() == 0));
    };
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("Gather", 13).attr("axis")); }

  @Override public TfLowering tf() { return TfLowering.custom("GatherV2"); }

  /** ddata = GatherGrad(gy, indices, data): gy's slices summed into zeros at the indices (repeats add up). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(
        Ops.gatherGrad(b, gys.get(0), node.input(1), node.input(0), node.attrs().getLong("axis")), null);
  }
}
