package dev.kiln.dsl.types;

/** Phantom type for integer tensors of IR dtype i64: it appears only in generics ({@code Tensor<I64>}). */
public final class I64 {
  private I64() {}
}
