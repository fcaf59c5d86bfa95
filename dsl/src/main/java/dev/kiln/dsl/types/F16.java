package dev.kiln.dsl.types;

/** Phantom type for floating tensors of IR dtype f16: it appears only in generics ({@code Tensor<F16>}). */
public final class F16 {
  private F16() {}
}
