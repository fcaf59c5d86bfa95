package dev.kiln.dsl.types;

/** Phantom type for boolean tensors of IR dtype bool: it appears only in generics ({@code Tensor<Bool>}). */
public final class Bool {
  private Bool() {}
}
