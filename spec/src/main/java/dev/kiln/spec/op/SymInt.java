package dev.kiln.spec.op;

import dev.kiln.spec.Dim;

/**
 * One integer of a shape computation as folding knows it: a static value, or {@code factor * dim} where
 * {@code dim} is a symbolic dim ({@code batch}) or an unknown one. {@code Shape(x)} of an
 * {@code f32[batch, 64]} value folds to the entries {@code [batch, 64]}; {@code Mul} by 4 makes
 * {@code 4*batch}, and {@code Div} by 4 gives {@code batch} back.
 *
 * <p>Arithmetic is exact or says it does not know: a result it cannot express is {@link #unknown()} (an
 * entry whose value is decided at run time), never a guess. A symbolic dim is a size, so it is >= 0; an
 * unknown entry may be any integer (it can come from {@code batch - 5}).
 *
 * <p>NOTE: static values wrap as 64-bit two's complement, as the run-time integer ops do; narrowing to a
 * 32-bit dtype happens where a {@link Folded.ShapeValue} is made. Symbolic factors are taken not to
 * overflow the dtype (a 32-bit {@code 4*batch} is taken to be exact); a factor that would overflow 64 bits
 * becomes unknown.
 *
 * @param factor the static value, or the multiple of {@code dim}
 * @param dim null for a static value, else a symbolic or unknown dim (never a static one)
 */
public record SymInt(long factor, Dim dim) {
  public SymInt {
    if (dim != null && dim.isStatic()) throw new IllegalArgumentException("a static dim is a static SymInt: use SymInt.of(size)");
  }

  /** A static value. */
  public static SymInt of(long value) { return new SymInt(value, null); }

  /** A dim as an entry: static sizes as values, a symbol or an unknown dim as {@code 1 * dim}. */
  public static SymInt of(Dim d) { return d.isStatic() ? of(d.size()) : new SymInt(1, d); }

  /** An entry whose value is decided at run time and not expressible here. */
  public static SymInt unknown() { return new SymInt(1, Dim.unknown()); }

  public boolean isStatic() { return dim == null; }

  /** Whether this is a multiple of a named symbol (not unknown, not static). */
  public boolean isSymbolic() { return dim != null && dim.isSymbolic(); }

  /** The static value; only when {@link #isStatic()}. */
  public long value() {
    if (!isStatic()) throw new IllegalStateException(this + " is not static");
    return factor;
  }

  /** As an axis size: a static value >= 0, the dim itself when the factor is 1, else an unknown dim. */
  public Dim toDim() {
    if (isStatic()) return factor >= 0 ? Dim.of(factor) : Dim.unknown();
    return factor == 1 ? dim : Dim.unknown();
  }

  private boolean sameSymbol(SymInt o) { return isSymbolic() && dim.equals(o.dim); }

  private static SymInt scaled(long factor, Dim d) { return factor == 0 ? of(0) : new SymInt(factor, d); }

  /** this + o. */
  public SymInt plus(SymInt o) {
    if (isStatic() && o.isStatic()) return of(factor + o.factor);
    if (o.isStatic() && o.factor == 0) return this;
    if (isStatic() && factor == 0) return o;
    if (sameSymbol(o)) return exact(() -> scaled(Math.addExact(factor, o.factor), dim));
    return unknown();
  }

  /** this - o. */
  public SymInt minus(SymInt o) {
    if (isStatic() && o.isStatic()) return of(factor - o.factor);
    if (o.isStatic() && o.factor == 0) return this;
    // NOTE: an unknown dim is not equal to another unknown dim (each is its own run-time value), so only a
    // named symbol cancels: 3*batch - batch = 2*batch, batch - batch = 0.
    if (sameSymbol(o)) return exact(() -> scaled(Math.subtractExact(factor, o.factor), dim));
    return unknown();
  }

  /** this * o. */
  public SymInt times(SymInt o) {
    if (isStatic() && o.isStatic()) return of(factor * o.factor);
    if (isStatic() || o.isStatic()) {
      SymInt k = isStatic() ? this : o;
      SymInt d = isStatic() ? o : this;
      if (k.factor == 0) return of(0);
      if (d.dim.isUnknown() && k.factor != 1) return unknown();
      return exact(() -> scaled(Math.multiplyExact(k.factor, d.factor), d.dim));
    }
    return unknown();
  }

  /**
   * this / o, truncating toward zero as ONNX's integer Div does; null when the division is known to fail
   * or overflow at run time (a static divisor 0, or the smallest long by -1), so the fold is refused.
   * {@code (k*d) / m} is {@code (k/m)*d} exactly when m divides k; otherwise the result is unknown.
   */
  public SymInt div(SymInt o) {
    if (o.isStatic() && o.factor == 0) return null;
    if (isStatic() && o.isStatic()) return factor == Long.MIN_VALUE && o.factor == -1 ? null : of(factor / o.factor);
    if (o.isStatic() && isSymbolic() && factor % o.factor == 0) return scaled(factor / o.factor, dim);
    if (isStatic() && factor == 0) return of(0);
    return unknown();
  }

  /**
   * Whether this equals {@code o}: TRUE or FALSE where that is certain, null where it depends on run-time
   * values. A symbolic dim is >= 0, so {@code k*batch} with k > 0 never equals a negative value.
   */
  public Boolean equalTo(SymInt o) {
    if (isStatic() && o.isStatic()) return factor == o.factor;
    if (sameSymbol(o) && factor == o.factor) return Boolean.TRUE;
    SymInt s = isStatic() ? this : o.isStatic() ? o : null;
    SymInt d = isStatic() ? o : this;
    if (s != null && d.isSymbolic() && d.factor != 0 && s.factor != 0 && Long.signum(d.factor) != Long.signum(s.factor)) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static SymInt exact(java.util.function.Supplier<SymInt> f) {
    try {
      return f.get();
    } catch (ArithmeticException e) {
      return unknown();
    }
  }

  @Override public String toString() {
    if (isStatic()) return Long.toString(factor);
    return factor == 1 ? dim.toString() : factor + "*" + dim;
  }
}
