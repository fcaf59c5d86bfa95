package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * y = x with a new shape, ONNX semantics: 0 copies the input's dim at that index, -1 is inferred from
 * the element count. ONNX Reshape-14 (shape as an input, allowzero = 0).
 */
public final class Reshape extends Op {
  @Override public String summary() { return "y = x reshaped to shape (0 copies the input dim, -1 is inferred)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").required("shape", AttrKind.INTS, "the new shape; 0 copies, -1 infers");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Shape xs = in.get(0).shape();
    long[] target = attrs.getLongs("shape");
    List<Dim> out = new ArrayList<>();
    int inferAt = -1;
    // The input dims not copied by a 0, and the product of explicit sizes: -1 is their quotient.
    List<Dim> rest = new ArrayList<>(xs.dims());
    long explicit = 1;
    for (int i = 0; i < target.length; i++) {
      long t = target[i];
      if (t == 0) {
        if (i >= xs.rank()) throw new ShapeException("shape " + Arrays.toString(target) + " copies axis " + i + " (0) but x is " + xs);
        out.add(xs.dim(i));
        rest.set(i, null);
      } else if (t == -1) {
        if (inferAt >= 0) throw new ShapeException("shape " + Arrays.toString(target) + " has more than one -1");
        inferAt = i;
        out.add(null);
      } else if (t > 0) {
        out.add(Dim.of(t));
        explicit *= t;
      } else {
        throw new ShapeException("shape " + Arrays.toString(target) + " has invalid size " + t + " at index " + i);
      }
    }
    rest.removeIf(d -> d == null);
    long known = 1;
    List<Dim> symbols = new ArrayList<>();
    for (Dim d : rest) {
      if (d.isStatic()) known *= d.size();
      else symbols.add(d);
    }
    if (inferAt >= 0) {
      Dim inferred;
      if (symbols.isEmpty()) {
        if (explicit == 0 || known % explicit != 0) {
          throw new ShapeException("cannot reshape " + xs + " to " + Arrays.toString(target) + ": " + known
              + " elements do not divide by " + explicit);
        }
        inferred = Dim.of(known / explicit);
      } else if (symbols.size() == 1 && symbols.get(0).isSymbolic() && known == explicit) {
        inferred = symbols.get(0);
      } else {
        inferred = Dim.unknown();
      }
      out.set(inferAt, inferred);
    } else if (symbols.isEmpty() && known != explicit) {
      throw new ShapeException("cannot reshape " + xs + " (" + known + " elements) to " + Arrays.toString(target)
          + " (" + explicit + " elements)");
    }
    return List.of(in.get(0).withShape(Shape.of(out)));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Reshape", 14).attrAsInput("shape", DType.I64).lowering(); }

  @Override public TfLowering tf() {
    // TF has no "copy this dim" marker: 0s become the input's static size.
    return TfLowering.custom("Reshape", e -> {
      long[] s = e.node().attrs().getLongs("shape");
      Shape xs = e.node().input(0).type().shape();
      for (int i = 0; i < s.length; i++) if (s[i] == 0) s[i] = xs.dim(i).size();
      return e.op("Reshape", List.of(e.input(0), e.constant(HostTensor.ofLongs(s, s.length))), Map.of(), 1);
    });
  }

  /** dx = gy reshaped back to x's shape (symbolic dims copied by position or inferred). */
  @Override public dev.kiln.spec.op.Vjp vjp() {
    return (b, node, gys) -> List.of(b.apply1("Reshape", Attrs.of("shape", shapeOf(node.input(0).type().shape(),
        gys.get(0).type().shape())), gys.get(0)));
  }

  /** A Reshape target producing {@code want} from a tensor of shape {@code from}. */
  static long[] shapeOf(Shape want, Shape from) {
    long[] s = new long[want.rank()];
    boolean inferred = false;
    for (int i = 0; i < want.rank(); i++) {
      Dim d = want.dim(i);
      if (d.isStatic()) s[i] = d.size();
      else if (i < from.rank() && from.dim(i).equals(d) && d.isSymbolic()) s[i] = 0;
      else if (!inferred) {
        s[i] = -1;
        inferred = true;
      } else {
        throw new ShapeException("cannot express a reshape from " + from + " to " + want + " without a Shape op");
      }
    }
    return s;
  }

  /** Convenience for rules: reshape {@code v} to {@code want} (a no-op when it already has that shape). */
  static Value to(dev.kiln.spec.ir.GraphBuilder b, Value v, Shape want) {
    if (v.type().shape().equals(want)) return v;
    return b.apply1("Reshape", Attrs.of("shape", shapeOf(want, v.type().shape())), v);
  }
}
