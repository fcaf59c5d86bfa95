package dev.kiln.spec.op;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ops.OpIndex;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every op, from the explicit index {@link OpIndex} (generated from the op classes by {@code spec}'s
 * {@code OpsFacadeTest}, so a renamed or removed op class is a compile error there). Ops are singletons keyed
 * by name. Code that builds IR names ops through the facade {@code dev.kiln.spec.ops.Ops}; lookups by name
 * are for names read at run time (the ONNX importer, the harness, files).
 */
public final class OpRegistry {
  public static final String OPS_PACKAGE = "dev.kiln.spec.ops";
  private static final Map<String, Op> OPS = new TreeMap<>();
  private static final Map<Class<?>, Op> BY_CLASS = new HashMap<>();

  static {
    for (Op op : OpIndex.all()) {
      Op old = OPS.put(op.name(), op);
      if (old != null) throw new KilnException("two ops named " + op.name() + ": " + old.getClass() + ", " + op.getClass());
      BY_CLASS.put(op.getClass(), op);
    }
  }

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
  public static <T extends Op> T get(Class<T> type) {
    Op op = BY_CLASS.get(type);
    if (op == null) throw new KilnException("op class " + type.getName() + " is not in the index " + OpIndex.class.getName());
    return type.cast(op);
  }

  public static boolean has(String name) { return OPS.containsKey(name); }
}
