package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of type rules: broadcasting, dtype agreement, rank checks, conv arithmetic. */
public final class TypeRules {
  private TypeRules() {}

  /**
   * NumPy broadcasting of two shapes (ONNX multidirectional broadcasting). A symbolic dim meets 1
   * or itself; against a static size above 1 it takes that size (as ONNX shape inference does).
   */
  public static Shape broadcast(Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < r; i++) {
      int ia = i - (r - a.rank());
      int ib = i - (r - b.rank());
      Dim da = ia < 0 ? Dim.of(1) : a.dim(ia);
      Dim db = ib < 0 ? Dim.of(1) : b.dim(ib);
      out.add(broadcastDim(a, b, i, da, db));
    }
    return Shape.of(out);
  }

  private static Dim broadcastDim(Shape a, Shape b, int axis, Dim da, Dim db) {
    if (da.equals(db)) return da;
    if (da.is(1)) return db;
    if (db.is(1)) return da;
    if (da.isStatic() && db.isStatic()) {
      throw new ShapeException("cannot broadcast " + a + " with " + b + " (axis " + axis + ": " + da + " vs " + db + ")");
    }
    if (da.isStatic()) return da;
    if (db.isStatic()) return db;
    return Dim.unknown();
  }

  /** All non-null inputs share one dtype; returns it. */
  public static DType sameDType(List<TensorType> in) {
    DType d = null;
    for (int i = 0; i < in.size(); i++) {
      TensorType t = in.get(i);
      if (t == null) continue;
      if (d == null) d = t.dtype();
      else if (t.dtype() != d) {
        throw new ShapeException("input " + i + " has dtype " + t.dtype() + " but input 0 has " + d + " (cast explicitly)");
      }
    }
    return d;
  }

  public static void requireFloat(String what, TensorType t) {
    if (!t.dtype().isFloating()) throw new ShapeException(what + " must be a floating-point tensor, got " + t);
  }

  public static void requireNumeric(String what, TensorType t) {
    if (t.dtype() == DType.BOOL) throw new ShapeException(what + " must be numeric, got " + t);
  }

  public static void requireRank(String what, TensorType t, int rank) {
    if (t.rank() != rank) throw new ShapeException(what + " must have rank " + rank + ", got " + t);
  }

  public static void requireRankAtLeast(String what, TensorType t, int rank) {
    if (t.rank() < rank) throw new ShapeException(what + " must have rank >= " + rank + ", got " + t);
  }

  /** Two dims that must agree; unknowns are accepted. Returns the more specific one. */
  public static Dim unify(String what, Dim a, Dim b) {
    if (a.equals(b) || b.isUnknown()) return a;
    if (a.isUnknown()) return b;
    if (a.isStatic() && b.isStatic()) throw new ShapeException(what + ": " + a + " vs " + b);
    if (a.isSymbolic() && b.isSymbolic()) throw new ShapeException(what + ": " + a + " vs " + b);
    return a.isStatic() ? a : b;
  }

  /**
   * Output size of a sliding window: floor((n + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1,
   * or the ceiling with {@code ceil}. Unknown when {@code n} is not static.
   */
  public static Dim windowOut(String what, Dim n, long k, long stride, long dilation, long padBegin, long padEnd,
                              boolean ceil) {
    if (!n.isStatic()) return Dim.unknown();
    long span = dilation * (k - 1) + 1;
    long avail = n.size() + padBegin + padEnd - span;
    if (avail < 0) {
      throw new ShapeException(what + ": window of " + span + " (kernel " + k + ", dilation " + dilation
          + ") is larger than padded input " + (n.size() + padBegin + padEnd));
    }
    long out = ceil ? Math.floorDiv(avail + stride - 1, stride) + 1 : Math.floorDiv(avail, stride) + 1;
    // NOTE: in ceil mode the last window must start inside the input or left padding (PyTorch/ONNX rule).
    if (ceil && (out - 1) * stride >= n.size() + padBegin) out--;
    return Dim.of(out);
  }

  /** Long array of {@code n} copies of {@code v}. */
  public static long[] repeat(long v, int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
