package dev.kiln.spec;

/** An op (or op form) that a back end or target opset cannot express. */
public class UnsupportedOpException extends KilnException {
  public UnsupportedOpException(String message) { super(message); }
}
