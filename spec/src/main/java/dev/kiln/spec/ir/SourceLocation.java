package dev.kiln.spec.ir;

import java.security.CodeSource;
import java.util.List;
import java.util.Optional;

/**
 * Where the user wrote the DSL call that made a node: the first stack frame outside Kiln's own
 * modules (as JAX reports the user's line, not its internals). Test classes of Kiln's own modules
 * count as user code, so tests can check the mechanism.
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
    if (!cn.startsWith("dev.kiln.")) return true;
    CodeSource cs = fr.getDeclaringClass().getProtectionDomain().getCodeSource();
    // Kiln's own test classes are user code: they live in target/test-classes.
    return cs == null || cs.getLocation() == null || !cs.getLocation().getPath().contains("test-classes");
  }

  /** Like a stack-trace line: {@code com.acme.Models.residual(Models.java:42)}. */
  @Override public String toString() {
    return className + "." + method + "(" + file + ":" + line + ")" + (backward ? " (backward)" : "");
  }
}
