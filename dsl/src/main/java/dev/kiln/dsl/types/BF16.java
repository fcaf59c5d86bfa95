package dev.kiln.dsl.types;

/** Phantom type for floating tensors of IR dtype bf16: it appears only in generics ({@code Tensor<BF16>}). */
public final class BF16 {
  private BF16() {}
}
