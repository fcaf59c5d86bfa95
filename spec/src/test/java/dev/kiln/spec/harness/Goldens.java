package dev.kiln.spec.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file comparison. Goldens change only behind the explicit flag
 * {@code -Dkiln.update.goldens=true}; otherwise a difference fails the test so it can be reviewed.
 */
public final class Goldens {
  private Goldens() {}

  public static boolean updating() { return "true".equals(System.getProperty("kiln.update.goldens")); }

  /** Compares {@code actual} with the file at {@code path} (relative to the module directory). */
  public static void check(Path path, String actual) {
    try {
      if (updating()) {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.writeString(path, actual);
        return;
      }
      if (!Files.exists(path)) {
        throw new AssertionError("golden file " + path + " is missing; create it with -Dkiln.update.goldens=true and review it");
      }
      assertEquals(Files.readString(path), actual,
          "differs from golden " + path + " (rerun with -Dkiln.update.goldens=true to accept, then review the diff)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
