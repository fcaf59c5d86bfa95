package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
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
import dev.kiln.spec.op.SymInt;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Same elements, new shape. {@code shape} follows ONNX Reshape with allowzero=0: an entry 0 copies the
 * input dim at that position, one entry -1 is inferred from the element count. ONNX Reshape-13/14 (the
 * shape as an int64 input).
 */
public final class Reshape extends Op {
  @Override public String summary() { return "y = x viewed with a new shape (0 copies a dim, -1 is inferred)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("shape", AttrKind.INTS, "target shape; 0 copies the input dim, one -1 is inferred");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] spec = attrs.getLongs("shape");
    List<Dim> out = new ArrayList<>();
    int inferred = -1;
    for (int i = 0; i < spec.length; i++) {
      long s = spec[i];
      if (s == 0) {
        if (i >= x.rank()) {
          throw new ShapeException("shape " + Arrays.toString(spec) + " has 0 at position " + i
              + " but input x " + x + " has rank " + x.rank());
        }
        out.add(x.shape().dim(i));
      } else if (s == -1) {
        if (inferred >= 0) throw new ShapeException("shape " + Arrays.toString(spec) + " has more than one -1");
        inferred = i;
        out.add(null);
      } else if (s < -1) {
        throw new ShapeException("shape entries must be >= -1, got " + Arrays.toString(spec));
      } else {
        out.add(Dim.of(s));
      }
    }
    if (inferred >= 0) out.set(inferred, inferDim(x.shape(), out, spec));
    Shape result = Shape.of(out);
    if (x.shape().isStatic() && result.isStatic() && x.shape().elementCount() != result.elementCount()) {
      throw new ShapeException("cannot reshape " + x.shape() + " (" + x.shape().elementCount() + " elements) to "
          + Arrays.toString(spec) + " (" + result.elementCount() + " elements)");
    }
    return List.of(x.withShape(result));
  }

  /**
   * The -1 entry: input elements divided by the other output dims. Symbols present on both sides cancel;
   * one symbol left over with the static parts dividing out to 1 gives that symbol, else the size is unknown.
   */
  private static Dim inferDim(Shape x, List<Dim> out, long[] spec) {
    List<Dim> inRest = new ArrayList<>(x.dims());
    long outStatic = 1;
    for (Dim d : out) {
      if (d == null) continue;
      if (d.isStatic()) outStatic *= d.size();
      else if (d.isUnknown() || !inRest.remove(d)) return Dim.unknown();
    }
    long inStatic = 1;
    Dim symbol = null;
    for (Dim d : inRest) {
      if (d.isStatic()) inStatic *= d.size();
      else if (symbol != null || d.isUnknown()) return Dim.unknown();
      else symbol = d;
    }
    if (symbol != null) return inStatic == outStatic ? symbol : Dim.unknown();
    if (outStatic == 0 || inStatic % outStatic != 0) {
      throw new ShapeException("cannot reshape " + x + " to " + Arrays.toString(spec) + ": " + inStatic
          + " elements do not divide by " + outStatic);
    }
    return Dim.of(inStatic / outStatic);
  }

  /** The gradient reshaped back to the input's shape (its run-time shape where the dims cannot be told apart). */
  @Override public Vjp vjp() {
    return (b, node, gys) -> List.of(DynamicReshape.like(b, gys.get(0), node.inputs().get(0)));
  }

  /**
   * Reshapes {@code v} to {@code target}: static dims by size, a dynamic dim that {@code v} has at the same
   * position by 0 (copy), one other dynamic dim by -1 ({@link #staticSpec}). Used by gradients of shape ops.
   */
  public static Value reshapeTo(GraphBuilder b, Value v, Shape target) {
    if (v.type().shape().equals(target)) return v;
    List<SymInt> entries = new ArrayList<>();
    for (Dim d : target.dims()) entries.add(SymInt.of(d));
    long[] spec = staticSpec(v.type().shape(), entries);
    if (spec == null) {
      throw new ShapeException("cannot reshape " + v.type() + " back to " + target + ": more than one dynamic dim to infer");
    }
    return Ops.reshape(b, v, spec);
  }

  /**
   * The {@code shape} attribute that reshapes a value of shape {@code x} to a target whose entries may be
   * symbolic (a folded shape computation such as {@code [batch, -1]}): static entries as they are, an entry
   * that is x's own symbolic dim at the same position as 0 (copy, so the symbol survives), and one other
   * dynamic entry as -1 (inferred); null when that cannot be written (two such entries, or a negative multiple
   * of a symbol), and the target is left to DynamicReshape at run time.
   * NOTE: an unknown entry becomes -1, which infers the value it has at run time in every valid model; only
   * a model whose entry disagrees with the element count would behave differently (an error there).
   */
  public static long[] staticSpec(Shape x, List<SymInt> target) {
    long[] spec = new long[target.size()];
    boolean inferred = false;
    for (int i = 0; i < spec.length; i++) {
      SymInt e = target.get(i);
      if (e.isStatic()) {
        if (e.value() < -1 || e.value() == -1 && inferred) return null;
        inferred |= e.value() == -1;
        spec[i] = e.value();
      } else if (e.isSymbolic() && e.factor() == 1 && i < x.rank() && x.dim(i).equals(e.dim())) {
        spec[i] = 0;
      } else if (inferred || e.isSymbolic() && e.factor() <= 0) {
        return null;
      } else {
        spec[i] = -1;
        inferred = true;
      }
    }
    return spec;
  }

  /** A view: a constant keeps its bytes, a shape value its entries, a fill its value ({@link dev.kiln.spec.op.Folding#view}). */
  @Override public dev.kiln.spec.op.Folder folder() { return dev.kiln.spec.op.Folding.view(this); }

  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.op("Reshape", 13).attrAsInput("shape", DType.I64), Onnx.op("Reshape", 14).attrAsInput("shape", DType.I64));
  }

  @Override public TfLowering tf() { return TfLowering.custom("Reshape"); }
}
