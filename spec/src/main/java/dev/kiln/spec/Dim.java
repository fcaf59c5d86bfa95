package dev.kiln.spec;

import java.util.Objects;

/**
 * One axis size: a static size, a named symbol that stays dynamic ({@code batch}, exported as ONNX
 * {@code dim_param}), or unknown (a size that depends on symbols in a way the IR does not track).
 */
public final class Dim {
  private static final Dim UNKNOWN = new Dim(-1, null);
  private final long size;
  private final String symbol;

  private Dim(long size, String symbol) {
    this.size = size;
    this.symbol = symbol;
  }

  /** A static size (0 allowed: empty tensors exist). */
  public static Dim of(long size) {
    if (size < 0) throw new ShapeException("dimension size must be >= 0, got " + size);
    return new Dim(size, null);
  }

  /** A named dynamic size, e.g. {@code Dim.symbolic("batch")}. */
  public static Dim symbolic(String name) {
    if (name == null || name.isBlank() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ShapeException("symbolic dimension name must be an identifier, got '" + name + "'");
    }
    return new Dim(-1, name);
  }

  /** A size not known until run time and not named. */
  public static Dim unknown() { return UNKNOWN; }

  public boolean isStatic() { return symbol == null && size >= 0; }
  public boolean isSymbolic() { return symbol != null; }
  public boolean isUnknown() { return symbol == null && size < 0; }

  /** The static size; only valid when {@link #isStatic()}. */
  public long size() {
    if (!isStatic()) throw new ShapeException("dimension " + this + " is not static");
    return size;
  }

  /** The symbol's name; only valid when {@link #isSymbolic()}. */
  public String symbol() { return symbol; }

  /** True when the size is statically known to equal {@code n}. */
  public boolean is(long n) { return isStatic() && size == n; }

  /** Product of two dims: static when both are, else unknown (or the symbol times 1). */
  public Dim times(Dim other) {
    if (isStatic() && other.isStatic()) return of(size * other.size);
    if (other.is(1)) return this;
    if (is(1)) return other;
    return unknown();
  }

  @Override public boolean equals(Object o) {
    return o instanceof Dim d && d.size == size && Objects.equals(d.symbol, symbol);
  }

  @Override public int hashCode() { return Objects.hash(size, symbol); }

  @Override public String toString() {
    if (symbol != null) return symbol;
    return size < 0 ? "?" : Long.toString(size);
  }
}
