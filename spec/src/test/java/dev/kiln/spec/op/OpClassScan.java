package dev.kiln.spec.op;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The op classes as they are compiled: every concrete top-level {@link Op} subclass in {@code dev.kiln.spec.ops},
 * found by listing the package's class directory. Only the facade generator uses this (at build time); the
 * registry reads the explicit, generated {@code OpIndex}.
 */
final class OpClassScan {
  private OpClassScan() {}

  /** One new instance of each op class, sorted by name. */
  static List<Op> ops() {
    List<Op> ops = new ArrayList<>();
    for (String className : classNames(OpRegistry.OPS_PACKAGE)) {
      try {
        Class<?> c = Class.forName(className, true, OpClassScan.class.getClassLoader());
        if (!Op.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers()) || c.isMemberClass()
            || c.isAnonymousClass()) continue;
        ops.add((Op) c.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot instantiate op class " + className + ": " + e, e);
      }
    }
    return ops;
  }

  private static List<String> classNames(String pkg) {
    String path = pkg.replace('.', '/');
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> urls = OpClassScan.class.getClassLoader().getResources(path);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if (!"file".equals(url.getProtocol())) continue; // the main classes directory (test-classes has only Cases)
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
              .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - 6)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new AssertionError("bad class path entry for " + pkg, e);
    }
    names.sort(null);
    return names;
  }
}
