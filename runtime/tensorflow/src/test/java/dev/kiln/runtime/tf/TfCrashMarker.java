package dev.kiln.runtime.tf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Names the TF harness case that is running in {@code target/tf-harness-running.txt}, so a case that
 * makes TensorFlow abort the JVM (a failed CHECK in a kernel, e.g. a tensor of the wrong rank for its
 * data format, is a native abort that no Java code can catch) is still identified: surefire then
 * reports "The forked VM terminated", and this file says which op and case was running. The file is
 * removed when a harness class finishes normally, and a leftover one is reported at the next run.
 */
final class TfCrashMarker {
  static final Path FILE = Path.of("target", "tf-harness-running.txt");

  private TfCrashMarker() {}

  /** Reports a marker left by a run that died, then clears it. */
  static void reportLeftover() {
    try {
      if (Files.exists(FILE)) {
        System.err.println("[TF harness] a previous run aborted the JVM while running: "
            + Files.readString(FILE, StandardCharsets.UTF_8).strip());
        Files.delete(FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records the case about to run (a process abort keeps what was written). */
  static void running(String what) {
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, what + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The harness class finished without an abort. */
  static void finished() {
    try {
      Files.deleteIfExists(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
