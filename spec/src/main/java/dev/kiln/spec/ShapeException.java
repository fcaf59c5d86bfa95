package dev.kiln.spec;

/** A dtype or shape mismatch found by an op's type rule, located at the user's DSL line. */
public class ShapeException extends KilnException {
  public ShapeException(String message) { super(message); }
}
