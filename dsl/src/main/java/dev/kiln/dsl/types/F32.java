package dev.kiln.dsl.types;

/** Phantom type for floating tensors of IR dtype f32: it appears only in generics ({@code Tensor<F32>}). */
public final class F32 {
  private F32() {}
}
