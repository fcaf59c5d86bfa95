package dev.kiln.runtime.spark;

import dev.kiln.spec.KilnException;

/**
 * Spark reports a task's exception wrapped in its own ({@code SparkException: Job aborted due to stage failure ...});
 * a Kiln error raised in a task (a row of the wrong size) should reach the user as that error, with its message.
 */
public final class SparkErrors {
  private SparkErrors() {}

  /** How Spark quotes a Kiln exception of a task: its class, then the message up to the end of the line. */
  private static final java.util.regex.Pattern KILN = java.util.regex.Pattern.compile("dev\\.kiln\\.spec\\.\\w*Exception: ([^\\n]*)");

  /** The {@link KilnException} in {@code e}'s causes, re-thrown with its own message; else {@code e} as it is. */
  public static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KilnException k) return new KilnException(k.getMessage(), e);
      // A task's exception usually arrives only as text in the job's failure message.
      java.util.regex.Matcher m = KILN.matcher(String.valueOf(t.getMessage()));
      if (m.find()) return new KilnException(m.group(1).strip(), e);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
