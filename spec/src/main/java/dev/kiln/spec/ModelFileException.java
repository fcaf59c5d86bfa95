package dev.kiln.spec;

/** A model or data file that is malformed or refused; the message names the file part at fault. */
public class ModelFileException extends KilnException {
  public ModelFileException(String message) { super(message); }
  public ModelFileException(String message, Throwable cause) { super(message, cause); }
}
