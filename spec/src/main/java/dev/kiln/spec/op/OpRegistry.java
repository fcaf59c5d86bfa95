package dev.kiln.spec.op;

import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every op, found by scanning the package {@code dev.kiln.spec.ops}: adding an op is adding one
 * class there, and every suite picks it up. Ops are singletons keyed by name.
 */
public final class OpRegistry {
  public static final String OPS_PACKAGE = "dev.kiln.spec.ops";
  private static final Map<String, Op> OPS = load();

  private OpRegistry() {}

  /** All ops, sorted by name. */
  public static Collection<Op> all() { return Collections.unmodifiableCollection(OPS.values()); }

  /** The op called {@code name}, or an error listing the known ones. */
  public static Op get(String name) {
    Op op = OPS.get(name);
    if (op == null) throw new KilnException("no op named '" + name + "'; known ops: " + OPS.keySet());
    return op;
  }

  /** The singleton instance of an op class. */
  public static <T extends Op> T get(Class<T> type) { return type.cast(get(type.getSimpleName())); }

  public static boolean has(String name) { return OPS.containsKey(name); }

  private static Map<String, Op> load() {
    Map<String, Op> ops = new TreeMap<>();
    for (String className : classNames(OPS_PACKAGE)) {
      try {
        Class<?> c = Class.forName(className, true, OpRegistry.class.getClassLoader());
        if (!Op.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers()) || c.isMemberClass()
            || c.isAnonymousClass()) continue;
        Op op = (Op) c.getDeclaredConstructor().newInstance();
        Op old = ops.put(op.name(), op);
        if (old != null) throw new KilnException("two ops named " + op.name() + ": " + old.getClass() + ", " + c);
      } catch (ReflectiveOperationException e) {
        throw new KilnException("cannot instantiate op class " + className + ": " + e, e);
      }
    }
    return ops;
  }

  /** Top-level class names in a package, whether it sits in a directory or a jar. */
  static List<String> classNames(String pkg) {
    String path = pkg.replace('.', '/');
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> urls = OpRegistry.class.getClassLoader().getResources(path);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if ("file".equals(url.getProtocol())) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - 6)));
          }
        } else if ("jar".equals(url.getProtocol())) {
          JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(path + "/") && n.endsWith(".class") && !n.contains("$")
                && n.indexOf('/', path.length() + 1) < 0) {
              names.add(n.substring(0, n.length() - 6).replace('/', '.'));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new KilnException("bad class path entry for " + pkg, e);
    }
    Collections.sort(names);
    return names;
  }
}
