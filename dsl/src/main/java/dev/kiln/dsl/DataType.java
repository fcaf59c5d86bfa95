package dev.kiln.dsl;

import dev.kiln.spec.DType;

/**
 * A dtype token that carries its phantom type, so {@code m.input("x", F32, ...)} yields a
 * {@code Tensor<F32>}. Use the constants in {@link DTypes}.
 *
 * @param <T> the phantom type, e.g. {@link dev.kiln.dsl.types.F32}
 */
public final class DataType<T> {
  private final DType dtype;

  DataType(DType dtype) { this.dtype = dtype; }

  /** The IR dtype. */
  public DType dtype() { return dtype; }

  @Override public String toString() { return dtype.shortName(); }
}
