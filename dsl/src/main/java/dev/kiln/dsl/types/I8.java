package dev.kiln.dsl.types;

/** Phantom type for integer tensors of IR dtype i8: it appears only in generics ({@code Tensor<I8>}). */
public final class I8 {
  private I8() {}
}
