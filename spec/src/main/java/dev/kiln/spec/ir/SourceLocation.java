package dev.kiln.spec.ir;

import java.io.IOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where the user wrote the DSL call that made a node: the first stack frame outside Kiln's own
 * modules (as JAX reports the user's line, not its internals). Kiln's modules mark their jars with
 * {@link #MARKER}; test classes of Kiln's own modules lack it and count as user code, so tests can check
 * the mechanism.
 */
public record SourceLocation(String className, String method, String file, int line, boolean backward) {
  public static final SourceLocation UNKNOWN = new SourceLocation("?", "?", "unknown", -1);

  /** A forward location. */
  public SourceLocation(String className, String method, String file, int line) {
    this(className, method, file, line, false);
  }

  /** The same line, marked as belonging to a gradient (backward) node built by autodiff. */
  public SourceLocation asBackward() { return new SourceLocation(className, method, file, line, true); }
  private static final List<String> LIBRARY_PREFIXES = List.of(
      "dev.kiln.spec.", "dev.kiln.compiler.", "dev.kiln.dsl.", "dev.kiln.runtime.", "dev.kiln.interop.",
      "java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.");

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** The caller's location, found by walking past library frames. */
  public static SourceLocation capture() {
    Optional<StackWalker.StackFrame> f = WALKER.walk(s -> s.filter(fr -> !isLibrary(fr)).findFirst());
    return f.map(fr -> new SourceLocation(fr.getClassName(), fr.getMethodName(),
        fr.getFileName() == null ? "unknown" : fr.getFileName(), fr.getLineNumber())).orElse(UNKNOWN);
  }

  private static boolean isLibrary(StackWalker.StackFrame fr) {
    String cn = fr.getClassName();
    boolean prefixed = LIBRARY_PREFIXES.stream().anyMatch(cn::startsWith);
    if (!prefixed) return false;
    return !cn.startsWith("dev.kiln.") || SHIPPED.get(fr.getDeclaringClass());
  }

  /**
   * The resource every Kiln library module ships ({@code src/main/resources}); a {@code dev.kiln} class
   * whose jar or class folder lacks it (a module's own tests, samples) counts as user code, so tests can
   * check the mechanism. No build tool's folder layout is assumed.
   */
  static final String MARKER = "META-INF/dev.kiln.library";

  private static final ClassValue<Boolean> SHIPPED = new ClassValue<>() {
    @Override protected Boolean computeValue(Class<?> c) {
      CodeSource cs = c.getProtectionDomain().getCodeSource();
      ClassLoader cl = c.getClassLoader();
      if (cs == null || cs.getLocation() == null || cl == null) return true;
      String root = cs.getLocation().toExternalForm();
      try {
        for (URL u : Collections.list(cl.getResources(MARKER))) {
          String s = u.toExternalForm();
          s = s.substring(0, s.length() - MARKER.length());
          if (s.startsWith("jar:")) s = s.substring(4, s.length() - 2);  // jar:file:/x.jar!/ -> file:/x.jar
          if (s.equals(root)) return true;
        }
      } catch (IOException e) {
        return true;
      }
      return false;
    }
  };

  /** Like a stack-trace line: {@code com.acme.Models.residual(Models.java:42)}. */
  @Override public String toString() {
    return className + "." + method + "(" + file + ":" + line + ")" + (backward ? " (backward)" : "");
  }
}
