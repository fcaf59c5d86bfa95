package dev.kiln.spec.ir;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A node's attributes: an immutable, name-sorted map whose values are Long, Double, String, Boolean,
 * DType, HostTensor, long[], double[] or Graph (a subgraph: If's branches, a Loop's body). Arrays are copied in and out, so nodes stay immutable.
 */
public final class Attrs {
  public static final Attrs EMPTY = new Attrs(new TreeMap<>());
  private final TreeMap<String, Object> map;

  private Attrs(TreeMap<String, Object> map) { this.map = map; }

  /** Attrs from alternating name/value pairs: {@code Attrs.of("axis", 1L, "keepdims", true)}. */
  public static Attrs of(Object... nameValues) {
    if (nameValues.length % 2 != 0) throw new KilnException("Attrs.of needs name/value pairs");
    Attrs a = EMPTY;
    for (int i = 0; i < nameValues.length; i += 2) a = a.with((String) nameValues[i], nameValues[i + 1]);
    return a;
  }

  /** A copy with one attribute set. Integers widen to Long, floats to Double, int[] to long[]. */
  public Attrs with(String name, Object value) {
    TreeMap<String, Object> m = new TreeMap<>(map);
    m.put(name, normalise(name, value));
    return new Attrs(m);
  }

  static Object normalise(String name, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
    if (v instanceof Float || v instanceof Double) return ((Number) v).doubleValue();
    if (v instanceof int[] ia) return Arrays.stream(ia).asLongStream().toArray();
    if (v instanceof long[] la) return la.clone();
    if (v instanceof float[] fa) {
      double[] d = new double[fa.length];
      for (int i = 0; i < fa.length; i++) d[i] = fa[i];
      return d;
    }
    if (v instanceof double[] da) return da.clone();
    if (v instanceof String || v instanceof Boolean || v instanceof DType || v instanceof HostTensor || v instanceof Graph) return v;
    throw new KilnException("attribute '" + name + "' has unsupported value type "
        + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  public boolean has(String name) { return map.containsKey(name); }

  public Map<String, Object> asMap() { return Collections.unmodifiableMap(map); }

  public Object get(String name) {
    Object v = map.get(name);
    if (v == null) throw new KilnException("missing attribute '" + name + "' (have " + map.keySet() + ")");
    return v instanceof long[] l ? l.clone() : v instanceof double[] d ? d.clone() : v;
  }

  public long getLong(String name) { return ((Number) get(name)).longValue(); }

  public int getInt(String name) { return Math.toIntExact(getLong(name)); }

  public double getDouble(String name) { return ((Number) get(name)).doubleValue(); }

  public String getString(String name) { return (String) get(name); }

  public boolean getBool(String name) { return (Boolean) get(name); }

  public DType getDType(String name) { return (DType) get(name); }

  public HostTensor getTensor(String name) { return (HostTensor) get(name); }

  public long[] getLongs(String name) { return (long[]) get(name); }

  public double[] getDoubles(String name) { return (double[]) get(name); }

  @Override public boolean equals(Object o) {
    if (!(o instanceof Attrs a) || !a.map.keySet().equals(map.keySet())) return false;
    for (String k : map.keySet()) if (!Objects.deepEquals(map.get(k), a.map.get(k))) return false;
    return true;
  }

  @Override public int hashCode() {
    int h = 0;
    for (Map.Entry<String, Object> e : map.entrySet()) h = h * 31 + e.getKey().hashCode() + Arrays.deepHashCode(new Object[] {e.getValue()});
    return h;
  }

  /** IR text form: {@code {axis=1, pads=[0, 0, 1, 1]}}, empty string when there are none. */
  @Override public String toString() {
    if (map.isEmpty()) return "";
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (!first) b.append(", ");
      first = false;
      b.append(e.getKey()).append('=').append(format(e.getValue()));
    }
    return b.append('}').toString();
  }

  private static String format(Object v) {
    if (v instanceof long[] l) return Arrays.toString(l);
    if (v instanceof double[] d) return Arrays.toString(d);
    if (v instanceof String s) return '"' + s + '"';
    if (v instanceof Graph g) return "<graph " + g.name() + ">";
    return String.valueOf(v);
  }
}
