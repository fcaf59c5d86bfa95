package dev.kiln.dsl.types;

/** Phantom type for integer tensors of IR dtype u8: it appears only in generics ({@code Tensor<U8>}). */
public final class U8 {
  private U8() {}
}
