package dev.kiln.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An ordered list of {@link Dim}s. Immutable. */
public final class Shape {
  private final List<Dim> dims;

  private Shape(List<Dim> dims) { this.dims = List.copyOf(dims); }

  public static Shape of(List<Dim> dims) { return new Shape(dims); }

  public static Shape of(Dim... dims) { return new Shape(Arrays.asList(dims)); }

  /** A fully static shape. */
  public static Shape of(long... sizes) {
    List<Dim> d = new ArrayList<>();
    for (long s : sizes) d.add(Dim.of(s));
    return new Shape(d);
  }

  /** Builds a shape from a mix of {@link Dim}, {@link Number} and symbol-name {@link String} items. */
  public static Shape parse(Object... items) {
    List<Dim> d = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof Dim dim) d.add(dim);
      else if (o instanceof Number n) d.add(Dim.of(n.longValue()));
      else if (o instanceof String s) d.add(Dim.symbolic(s));
      else throw new ShapeException("a shape item must be a Dim, a number or a symbol name, got " + o);
    }
    return new Shape(d);
  }

  public static Shape scalar() { return new Shape(List.of()); }

  public int rank() { return dims.size(); }

  public Dim dim(int axis) { return dims.get(axis); }

  public List<Dim> dims() { return dims; }

  public boolean isStatic() { return dims.stream().allMatch(Dim::isStatic); }

  /** Static sizes; throws if any dim is dynamic. */
  public long[] sizes() {
    long[] s = new long[dims.size()];
    for (int i = 0; i < s.length; i++) s[i] = dims.get(i).size();
    return s;
  }

  /** Number of elements; throws if any dim is dynamic. */
  public long elementCount() {
    long n = 1;
    for (Dim d : dims) n = Math.multiplyExact(n, d.size());
    return n;
  }

  /** Normalises a possibly negative axis against this rank, or throws naming the op. */
  public int axis(String op, long axis) {
    long a = axis < 0 ? axis + rank() : axis;
    if (a < 0 || a >= rank()) {
      throw new ShapeException(op + ": axis " + axis + " is out of range for rank " + rank() + " shape " + this);
    }
    return (int) a;
  }

  public Shape with(int axis, Dim d) {
    List<Dim> copy = new ArrayList<>(dims);
    copy.set(axis, d);
    return new Shape(copy);
  }

  @Override public boolean equals(Object o) { return o instanceof Shape s && s.dims.equals(dims); }

  @Override public int hashCode() { return dims.hashCode(); }

  @Override public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dims.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(dims.get(i));
    }
    return b.append(']').toString();
  }
}
