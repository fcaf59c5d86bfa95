package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 through the command line: the hostile files of interop's regression set end with one line
 * {@code kiln: error: ...} and exit 2, quickly; never a hang, a stack trace or "internal error".
 */
class HostileFilesCliTest {
  private static final Path HOSTILE = repo().resolve("interop/src/test/resources/hostile");

  /** The repository root: the nearest folder up from here holding {@code interop/} (the CLI may move deeper). */
  private static Path repo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (java.nio.file.Files.isDirectory(p.resolve("interop/src")) && java.nio.file.Files.isRegularFile(p.resolve("pom.xml"))) return p;
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  private static void badInput(String... args) {
    CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(args));
    assertEquals(KilnCli.EXIT_USER_ERROR, r.exit(), r.err());
    assertTrue(r.err().startsWith("kiln: error: ") && r.err().strip().lines().count() == 1, r.err());
    assertFalse(r.err().contains("java.") || r.err().contains("Exception"), r.err());
  }

  @Test void hostilePicklesAreBadInput() {
    for (String f : new String[] {"shared-dicts-40.pt", "shared-lists-40.pt", "self-dict.pt", "self-list.pt", "deep-lists-200k.pt", "list-key.pt"}) {
      badInput("weights", HOSTILE.resolve("pt").resolve(f).toString());
    }
  }

  @Test void modelsMissingRequiredInputsAreBadInputForImportAndInspect() {
    for (String f : new String[] {"pad-without-pads.onnx", "conv-empty-weight.onnx", "maxpool-empty-input.onnx"}) {
      String model = HOSTILE.resolve("onnx").resolve(f).toString();
      badInput("import", model);
      CliRun inspect = CliRun.of("inspect", model);
      assertEquals(KilnCli.EXIT_USER_ERROR, inspect.exit(), inspect.err());
      assertTrue(inspect.out().contains("kiln import: no (node '"), inspect.out());
    }
  }
}
