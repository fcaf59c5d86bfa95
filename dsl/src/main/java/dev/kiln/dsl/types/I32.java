package dev.kiln.dsl.types;

/** Phantom type for integer tensors of IR dtype i32: it appears only in generics ({@code Tensor<I32>}). */
public final class I32 {
  private I32() {}
}
