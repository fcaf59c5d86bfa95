package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
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
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.List;

/** Joins tensors along {@code axis}; all other dims must agree. ONNX Concat-13. */
public final class Concat extends Op {
  @Override public String summary() { return "y = inputs joined along axis"; }

  @Override public Signature signature() {
    return Signature.inputs("inputs").variadic().required("axis", AttrKind.INT, "axis to join along (negative counts from the end)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    var dtype = TypeRules.sameDType(in);
    TensorType first = in.get(0);
    if (first.rank() == 0) throw new ShapeException("inputs must have rank >= 1, got scalar input 0");
    int axis = first.shape().axis("Concat", attrs.getLong("axis"));
    List<Dim> out = new ArrayList<>(first.shape().dims());
    long sum = 0;
    boolean staticSum = true;
    for (int i = 0; i < in.size(); i++) {
      TensorType t = in.get(i);
      if (t.rank() != first.rank()) {
        throw new ShapeException("input " + i + " " + t + " has rank " + t.rank() + " but input 0 " + first + " has rank " + first.rank());
      }
      for (int d = 0; d < t.rank(); d++) {
        if (d == axis) continue;
        out.set(d, TypeRules.unify("input " + i + " " + t.shape() + " differs from input 0 " + first.shape() + " on axis " + d,
            out.get(d), t.shape().dim(d)));
      }
      Dim a = t.shape().dim(axis);
      if (a.isStatic()) sum += a.size();
      else staticSum = false;
    }
    out.set(axis, staticSum ? Dim.of(sum) : in.size() == 1 ? first.shape().dim(axis) : Dim.unknown());
    return List.of(new TensorType(dtype, Shape.of(out)));
  }

  /** Each input's gradient is its slice of the output gradient; all inputs but the last need a static axis. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      int axis = node.output().type().shape().axis("Concat", node.attrs().getLong("axis"));
      List<Value> gxs = new ArrayList<>();
      long offset = 0;
      for (int i = 0; i < node.inputs().size(); i++) {
        Dim d = node.input(i).type().shape().dim(axis);
        boolean last = i == node.inputs().size() - 1;
        if (!d.isStatic() && !last) {
          throw new ShapeException("gradient needs a static size on axis " + axis + " for input " + i + " " + node.input(i).type());
        }
        long end = last ? Long.MAX_VALUE : offset + d.size();
        gxs.add(Ops.slice(b, gys.get(0), new long[] {offset}, new long[] {end}, new long[] {axis}, new long[0]));
        if (!last) offset = end;
      }
      return gxs;
    };
  }

  /**
   * Constants joined along any axis (byte copies); 1-D integer shape values and constants joined into one
   * shape value ({@code [batch] ++ [-1]}).
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      TensorType out = inferTypes(Folding.types(in), attrs).get(0);
      int axis = in.get(0).type().shape().axis("Concat", attrs.getLong("axis"));
      List<HostTensor> parts = new ArrayList<>();
      for (Folded f : in) if (f.constant() != null) parts.add(f.constant());
      if (parts.size() == in.size()) return out.shape().isStatic() && Folding.fits(out.shape().sizes()) ? List.of(Folded.of(HostArrays.concat(parts, axis))) : null;
      List<SymInt> entries = new ArrayList<>();
      for (Folded f : in) {
        if (f.entries() == null) return null;
        entries.addAll(f.entries());
      }
      return List.of(Folded.ints(out.dtype(), entries, false));
    };
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Concat", 13).attr("axis").lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("ConcatV2"); }
}
