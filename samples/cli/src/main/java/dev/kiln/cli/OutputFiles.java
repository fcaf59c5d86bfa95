package dev.kiln.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Safe file names for model outputs. ONNX names may hold any text ({@code /fc1/MatMul_output_0},
 * {@code ..}, spaces), so a name becomes letters, digits, {@code _ - .} only, never starts with a dot,
 * stays short, and distinct outputs never share a file.
 */
final class OutputFiles {
  private static final int MAX_STEM = 100;

  private OutputFiles() {}

  /** The file under {@code dir} for each output name, in order. */
  static Map<String, Path> assign(Path dir, Iterable<String> names) {
    Map<String, Path> out = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (String name : names) {
      String stem = stem(name);
      String candidate = stem;
      // File systems may ignore case, so compare lower-cased names.
      for (int i = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) candidate = stem + "_" + i;
      out.put(name, dir.resolve(candidate + ".npy"));
    }
    return out;
  }

  /** The name with unsafe characters replaced by {@code _}. */
  static String stem(String name) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length() && b.length() < MAX_STEM; i++) {
      char c = name.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
      b.append(safe ? c : '_');
    }
    while (b.length() > 0 && b.charAt(0) == '.') b.setCharAt(0, '_');
    return b.length() == 0 ? "output" : b.toString();
  }
}
