package dev.kiln.spec.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Build-time checks over the whole repository (this module's parent folder), so a break fails the first module
 * built: which packages each module's main sources may name (the one-way module arrows of
 * docs/architecture.md: spec, compiler, dsl and interop name no back end; the training layer names no back end;
 * the back ends never name each other), and that no hand-written main source file is over {@value #MAX_LINES}
 * lines. Comments and string literals do not count as naming a package.
 */
class BuildRulesTest {
  static final int MAX_LINES = 400;

  static final List<String> BACK_ENDS = List.of("org.tensorflow", "ai.onnxruntime", "dev.kiln.runtime.tf", "dev.kiln.runtime.onnx");

  /** Module folder → package prefixes its main sources must not name. */
  static final Map<String, List<String>> FORBIDDEN = forbidden();

  private static Map<String, List<String>> forbidden() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String core : List.of("spec", "compiler", "dsl", "interop")) {
      m.put(core, List.of("org.tensorflow", "ai.onnxruntime", "dev.kiln.runtime"));
    }
    m.put("runtime/train", BACK_ENDS);
    m.put("runtime/tensorflow", List.of("ai.onnxruntime", "dev.kiln.runtime.onnx"));
    m.put("runtime/onnxruntime", List.of("org.tensorflow", "dev.kiln.runtime.tf"));
    // The model zoo is a library users add on its own: DSL only, no back end, importer, demo or CLI.
    m.put("samples/models", List.of("org.tensorflow", "ai.onnxruntime", "dev.kiln.runtime", "dev.kiln.interop",
        "dev.kiln.samples", "dev.kiln.cli"));
    m.put("samples/programs", List.of("dev.kiln.cli"));
    return m;
  }

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Every hand-written main source file (Java, Kotlin) under {@code dir}: not in build output or generated folders. */
  static List<Path> mainSources(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt"))
          .filter(p -> ROOT.relativize(p).toString().replace('\\', '/').contains("src/main/"))
          .filter(p -> {
            for (Path part : ROOT.relativize(p)) {
              String n = part.toString();
              if (n.equals("target") || n.startsWith(".") || n.startsWith("generated")) return false;
            }
            return true;
          })
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theRepositoryRootIsFound() {
    assertTrue(Files.exists(ROOT.resolve("pom.xml")) && Files.isDirectory(ROOT.resolve("spec")), "no repository at " + ROOT);
    assertTrue(mainSources(ROOT).size() > 300, "found only " + mainSources(ROOT).size() + " main sources under " + ROOT);
  }

  @Test
  void noHandWrittenMainSourceFileIsOver400Lines() throws IOException {
    List<String> over = new ArrayList<>();
    for (Path p : mainSources(ROOT)) {
      long lines;
      try (Stream<String> s = Files.lines(p)) {
        lines = s.count();
      }
      if (lines > MAX_LINES) over.add(ROOT.relativize(p) + " (" + lines + " lines)");
    }
    assertEquals(List.of(), over, "main source files over " + MAX_LINES + " lines: split them by concern");
  }

  @Test
  void modulesNameOnlyThePackagesTheirArrowsAllow() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : FORBIDDEN.entrySet()) {
      Path module = ROOT.resolve(e.getKey());
      assertTrue(Files.isDirectory(module.resolve("src/main")), "no module " + e.getKey());
      for (Path p : mainSources(module)) {
        for (String name : qualifiedNames(code(Files.readString(p)))) {
          for (String prefix : e.getValue()) {
            if (name.equals(prefix) || name.startsWith(prefix + ".")) wrong.add(ROOT.relativize(p) + " names " + name);
          }
        }
      }
    }
    assertEquals(List.of(), wrong, "module arrows (docs/architecture.md) broken");
  }

  @Test
  void commentsAndStringsDoNotCount() {
    String src = "package a;\nimport org.tensorflow.Graph;\n// import ai.onnxruntime.X;\n/* dev.kiln.runtime.tf.TfModel */\n"
        + "class A { String s = \"org.tensorflow.Session\"; char c = '\"'; Object o = new dev.kiln.runtime.onnx.OnnxRuntimeModel(); }\n";
    List<String> names = qualifiedNames(code(src));
    assertTrue(names.contains("org.tensorflow.Graph"), names.toString());
    assertTrue(names.contains("dev.kiln.runtime.onnx.OnnxRuntimeModel"), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("ai.") || n.contains("Session") || n.contains("TfModel")), names.toString());
  }

  private static final Pattern QUALIFIED = Pattern.compile("\\b[a-z][a-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+");

  /** Dotted names starting with a lower-case segment (packages and what is qualified by them). */
  static List<String> qualifiedNames(String code) {
    List<String> out = new ArrayList<>();
    Matcher m = QUALIFIED.matcher(code);
    while (m.find()) out.add(m.group());
    return out;
  }

  /** {@code src} with comments, string and character literals (Java and Kotlin, text blocks too) blanked. */
  static String code(String src) {
    StringBuilder b = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        while (i < n && src.charAt(i) != '\n') i++;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        b.append(' ');
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        i = end < 0 ? n : end + 3;
        b.append("\"\"");
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') i += src.charAt(i) == '\\' ? 2 : 1;
        i++;
        b.append("\"\"");
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }
}
