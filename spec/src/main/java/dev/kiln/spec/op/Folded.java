package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What folding knows about one value: its elements ({@link Const}), a shape computation over symbolic
 * dims ({@link ShapeValue}: {@code Shape(x)} of an {@code f32[batch, 64]} value is {@code [batch, 64]}),
 * a tensor of a symbolic shape whose elements are all one value ({@link Fill}: {@code ConstantOfShape} of
 * such a shape), or nothing but its type ({@link RunTime}). {@link Folder}s take and return these; only
 * {@code Const}, {@code ShapeValue} and {@code Fill} are results.
 */
public sealed interface Folded {
  /** The value's type; a symbolic entry or dim shows as its {@link SymInt#toDim()}. */
  TensorType type();

  /** A constant: every element known. */
  record Const(HostTensor tensor) implements Folded {
    @Override public TensorType type() { return tensor.type(); }

    @Override public String toString() { return "const " + tensor; }
  }

  /**
   * An integer tensor of rank 0 ({@code scalar}) or 1 whose entries may be symbolic: a shape, one of its
   * dims, or arithmetic on them. Made through {@link Folded#ints}, which gives a {@code Const} instead when
   * every entry is static, so a ShapeValue always has a symbolic or unknown entry.
   */
  record ShapeValue(DType dtype, List<SymInt> entries, boolean scalar) implements Folded {
    public ShapeValue {
      entries = List.copyOf(entries);
      if (!dtype.isInteger()) throw new IllegalArgumentException("a shape value is an integer tensor, not " + dtype);
      if (scalar && entries.size() != 1) throw new IllegalArgumentException("a scalar shape value has one entry, got " + entries);
    }

    @Override public TensorType type() { return new TensorType(dtype, scalar ? Shape.scalar() : Shape.of(entries.size())); }

    @Override public String toString() { return dtype + (scalar ? " " + entries.get(0) : " " + entries); }
  }

  /**
   * A tensor of shape {@code dims}, some symbolic, with every element equal to {@code value} (a one-element
   * tensor of the dtype): ConstantOfShape or Expand of a shape value. Made through {@link Folded#fill}.
   */
  record Fill(HostTensor value, List<SymInt> dims) implements Folded {
    public Fill {
      dims = List.copyOf(dims);
      if (value.size() != 1) throw new IllegalArgumentException("a fill value has one element, got " + value);
      value = value.reshape();
    }

    @Override public TensorType type() {
      List<Dim> ds = new ArrayList<>();
      for (SymInt d : dims) ds.add(d.toDim());
      return new TensorType(value.dtype(), Shape.of(ds));
    }

    @Override public String toString() { return "fill " + value.getDouble(0) + " " + value.dtype() + dims; }
  }

  /** A value computed at run time: only its type is known. */
  record RunTime(TensorType type) implements Folded {
    @Override public String toString() { return "run-time " + type; }
  }

  /** A constant. */
  static Folded of(HostTensor t) { return new Const(t); }

  /** A value known only by its type. */
  static Folded runTime(TensorType t) { return new RunTime(t); }

  /**
   * An integer tensor of rank 0 ({@code scalar}) or 1 from its entries: a {@link Const} when all are
   * static (wrapped to the dtype's width, as a C cast narrows), else a {@link ShapeValue}.
   */
  static Folded ints(DType dtype, List<SymInt> entries, boolean scalar) {
    List<SymInt> narrowed = new ArrayList<>();
    boolean allStatic = true;
    for (SymInt e : entries) {
      narrowed.add(e.isStatic() ? SymInt.of(HostArrays.narrow(dtype, e.value())) : e);
      allStatic &= e.isStatic();
    }
    if (!allStatic) return new ShapeValue(dtype, narrowed, scalar);
    long[] v = narrowed.stream().mapToLong(SymInt::value).toArray();
    return new Const(HostArrays.ofLongs(dtype, v, scalar ? new long[0] : new long[] {v.length}));
  }

  /**
   * A tensor of shape {@code dims} filled with {@code value}: a {@link Const} when every dim is static and
   * the tensor is no larger than {@link Folding#MAX_ELEMENTS}, else a {@link Fill}.
   */
  static Folded fill(HostTensor value, List<SymInt> dims) {
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      SymInt d = dims.get(i);
      if (!d.isStatic() || d.value() < 0) return new Fill(value, dims);
      shape[i] = d.value();
    }
    if (!Folding.fits(shape)) return new Fill(value, dims);
    int n = Math.toIntExact(HostTensor.count(shape));
    byte[] one = value.bytes();
    ByteBuffer b = ByteBuffer.allocate(n * one.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) b.put(one);
    b.flip();
    return new Const(HostTensor.ofBuffer(value.dtype(), shape, b));
  }

  /** The constant tensor, or null when this is not a {@link Const}. */
  default HostTensor constant() { return this instanceof Const c ? c.tensor() : null; }

  /** Whether this is only a type (nothing folds from it but what the type says). */
  default boolean isRunTime() { return this instanceof RunTime; }

  /**
   * The entries of an integer value of rank 0 or 1, a constant's as static entries; null for anything else
   * (floats, higher ranks, fills, run-time values). Shape-computation folders work on these.
   */
  default List<SymInt> entries() {
    if (this instanceof ShapeValue s) return s.entries();
    HostTensor t = constant();
    if (t == null || !t.dtype().isInteger() || t.rank() > 1 || t.dtype() == DType.U64) return null;
    List<SymInt> out = new ArrayList<>();
    for (long v : t.toLongs()) out.add(SymInt.of(v));
    return out;
  }

  /** Whether this is a rank-0 value. */
  default boolean isScalar() { return type().rank() == 0; }

  /**
   * The dims of this value's shape as entries: a fill's own (keeping factors such as {@code 4*batch}),
   * else from its type.
   */
  default List<SymInt> dims() {
    if (this instanceof Fill f) return f.dims();
    List<SymInt> out = new ArrayList<>();
    for (Dim d : type().shape().dims()) out.add(SymInt.of(d));
    return out;
  }
}
