package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build-time check that IR is built through the op facade ({@code dev.kiln.spec.ops.Ops}): no source file of
 * any module (main or test, Java or Kotlin) applies or looks up an op by a string literal naming it (a quoted op
 * name as the first argument of {@code apply}, {@code apply1}, {@code applyNamed}, {@code step}, {@code OpRegistry.get}
 * or {@code OpRegistry.has}). Write {@code Ops.relu(b, x)}, or {@code OpRegistry.get(Identity.class)} for the op object. Names read at run time (ONNX
 * files, parametrised tests) still go through {@code OpRegistry.get(name)}; only literals are refused.
 */
class NoStringOpNamesTest {
  /** A call that applies or looks up an op, with a string literal as its first argument. */
  private static final Pattern CALL = Pattern.compile(
      "(?:\\b(?:apply1|apply|applyNamed|step)|OpRegistry\\s*\\.\\s*(?:get|has))\\(\\s*\"([A-Za-z0-9]+)\"");

  /**
   * Test files that keep a string op name on purpose, each with why (the string path itself is what they test).
   * Paths are relative to the repository root.
   */
  static final Map<String, String> ALLOWED = Map.of();

  @Test
  void noOpIsNamedByAStringLiteral() throws IOException {
    Set<String> ops = OpRegistry.all().stream().map(Op::name).collect(Collectors.toSet());
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(NoStringOpNamesTest::isSource).sorted().toList()) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (ALLOWED.containsKey(rel)) continue;
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = CALL.matcher(lines.get(i));
          while (m.find()) {
            if (ops.contains(m.group(1))) found.add(rel + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    assertTrue(found.isEmpty(), "ops named by string literals (use the facade dev.kiln.spec.ops.Ops, or OpRegistry.get(X.class)):\n"
        + String.join("\n", found));
  }

  private static boolean isSource(Path p) {
    String s = p.toString().replace('\\', '/');
    if (!(s.endsWith(".java") || s.endsWith(".kt"))) return false;
    if (s.contains("/target/") || s.contains("/.git/") || s.contains("/node_modules/")) return false;
    return s.contains("/src/main/") || s.contains("/src/test/");
  }
}
