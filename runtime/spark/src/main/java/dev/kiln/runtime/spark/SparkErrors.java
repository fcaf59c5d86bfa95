package dev.kiln.runtime.spark;

import dev.kiln.spec.KilnException;

/**
 * Spark reports a task's exception wrapped in its own ({@code SparkException: Job aborted due to stage failure ...});
 * a Kiln error raised in a task (a row of the wrong size) should reach the user as that error, with its message.
 */
public final class SparkErrors {
  private SparkErrors() {}

  /** The {@link KilnException} in {@code e}'s causes, re-thrown with its own message; else {@code e} as it is. */
  public static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KilnException k) return new KilnException(k.getMessage(), e);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
