package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.HostArrays;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.ShapeOperands;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * y = x broadcast both ways (NumPy rules) with an int64 shape given at run time: the output has
 * max(rank x, length of shape) axes; an axis is x's where x's dim is static and not 1, otherwise known
 * only when the graph runs. ONNX Expand-13; TF BroadcastTo to BroadcastArgs(shape of x, shape).
 */
public final class Expand extends Op {
  @Override public String summary() { return "y = x broadcast with a shape given at run time (both ways, like NumPy)"; }

  @Override public Signature signature() { return Signature.inputs("x", "shape"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    int n = ShapeOperands.length(in.get(1), "shape");
    int rank = Math.max(n, x.rank());
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      int xi = i - (rank - x.rank());
      Dim d = xi >= 0 ? x.shape().dim(xi) : null;
      // A static x dim above 1 wins (the shape's entry must be 1 or equal); else the shape's entry decides.
      out.add(d != null && d.isStatic() && d.size() != 1 ? d : Dim.unknown());
    }
    return List.of(x.withShape(dev.kiln.spec.Shape.of(out)));
  }

  /**
   * x broadcast both ways with the shape: a constant x and static result on the host (byte copies); a fill,
   * or a one-element constant, with a symbolic shape as a {@link Folded.Fill}. A static x dim above 1 against a
   * symbolic or run-time entry of the shape gives x's dim (the entry must be 1 or that size; the type rule says the same:
   * torch.onnx traces a zero LSTM state at the example's batch and Expands it to the run-time batch). Declined
   * where the result's dims depend on run-time values (a symbolic x dim against a static size above 1 may or may
   * not be 1).
   */
  @Override public Folder folder() {
    return (in, attrs) -> {
      List<SymInt> shape = in.get(1).entries();
      Folded x = in.get(0);
      if (shape == null || x.isRunTime() || x instanceof Folded.ShapeValue) return null;
      List<SymInt> xd = x.dims();
      int rank = Math.max(xd.size(), shape.size());
      List<SymInt> out = new ArrayList<>();
      for (int i = 0; i < rank; i++) {
        int xi = i - (rank - xd.size());
        int si = i - (rank - shape.size());
        SymInt a = xi >= 0 ? xd.get(xi) : SymInt.of(1);
        SymInt b = si >= 0 ? shape.get(si) : SymInt.of(1);
        if (a.isStatic() && a.value() != 1 && !b.isStatic()) {
          out.add(a);  // x's static size wins, as in inferTypes (the entry must be 1 or that size)
          continue;
        }
        if (b.isStatic() && b.value() < 0 || !b.isStatic() && !b.isSymbolic()) return null;
        if (b.isStatic() && b.value() == 1) out.add(a);
        else if (a.isStatic() && a.value() == 1) out.add(b);
        else if (Boolean.TRUE.equals(a.equalTo(b))) out.add(a);
        else return null;
      }
      HostTensor t = x.constant();
      if (t != null && out.stream().allMatch(SymInt::isStatic)) {
        long[] s = out.stream().mapToLong(SymInt::value).toArray();
        return Folding.fits(s) ? List.of(Folded.of(HostArrays.broadcastTo(t, s))) : null;
      }
      HostTensor v = x instanceof Folded.Fill f ? f.value() : t != null && t.size() == 1 ? t : null;
      return v == null ? null : List.of(Folded.fill(v, out));
    };
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Expand", 13).lowering(); }

  @Override public TfLowering tf() { return TfLowering.custom("BroadcastTo"); }

  /**
   * dx = gy summed over the leading axes Expand added and over x's size-1 axes, then in x's shape.
   * x's symbolic dims are taken as not broadcast (a symbol names one size); an unknown dim could be 1 at
   * run time and is refused.
   */
  @Override public Vjp vjp() { return (b, node, gys) -> Arrays.asList(back(b, node, gys.get(0)), null); }

  private static Value back(GraphBuilder b, Node node, Value gy) {
    Value x = node.input(0);
    dev.kiln.spec.Shape xs = x.type().shape();
    int lead = gy.type().rank() - xs.rank();
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < lead; i++) axes.add((long) i);
    for (int i = 0; i < xs.rank(); i++) {
      Dim d = xs.dim(i);
      if (d.isUnknown()) throw new KilnException("Expand: no gradient for an input with an unknown dim " + x.type()
          + " (it may have been broadcast at run time)");
      if (d.is(1) && !gy.type().shape().dim(lead + i).is(1)) axes.add((long) lead + i);
    }
    Value g = gy;
    if (!axes.isEmpty()) {
      g = Ops.reduceSum(b, g, axes.stream().mapToLong(Long::longValue).toArray(), true);
    }
    return DynamicReshape.like(b, g, x);
  }
}
