package dev.kiln.dsl.types;

/** Phantom type for floating tensors of IR dtype f64: it appears only in generics ({@code Tensor<F64>}). */
public final class F64 {
  private F64() {}
}
