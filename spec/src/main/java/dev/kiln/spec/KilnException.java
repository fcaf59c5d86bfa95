package dev.kiln.spec;

/** Root of every error Kiln reports on purpose. Messages say what is wrong and where. */
public class KilnException extends RuntimeException {
  public KilnException(String message) { super(message); }
  public KilnException(String message, Throwable cause) { super(message, cause); }
}
