package dev.kiln.interop.torch;

import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.ModelFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies what the unpickler built into plain immutable containers, bounded. A pickle's memo lets one
 * container appear many times ({@code d = {'a': d0, 'b': d0}} forty levels deep is 1 KB pickled and
 * 2^40 values when walked naively) or inside itself ({@code d['self'] = d}). The copy is memo-aware
 * (each container is copied once, by identity), refuses cycles, refuses nesting deeper than
 * {@link ReadLimits#maxDepth}, and counts the values a walk over the result would visit
 * ({@link StateDict#flatten} names each place a shared container appears) against
 * {@link ReadLimits#maxPickleElements}, so every later walk is bounded too.
 */
final class PickleTree {
  private final ReadLimits limits;
  private final Map<Object, Object> copies = new IdentityHashMap<>();
  /** Values a full walk visits below each copied container (saturating), by identity of the original. */
  private final Map<Object, Long> expanded = new IdentityHashMap<>();
  private final Map<Object, Boolean> open = new IdentityHashMap<>();

  private PickleTree(ReadLimits limits) { this.limits = limits; }

  /** The copy of a top-level dict, with nested dicts as {@link StateDict}s; lists and tuples as immutable lists. */
  static Map<String, Object> copyRoot(Map<?, ?> root, ReadLimits limits) {
    PickleTree t = new PickleTree(limits);
    Map<String, Object> out = t.copyMap(root, 1, "the top-level dict");
    limits.checkPickleElements("the pickle, counting each shared container wherever it appears,", t.expanded.get(root));
    return out;
  }

  private Object copy(Object v, int depth, String path) {
    if (!(v instanceof Map<?, ?>) && !(v instanceof List<?>) && !(v instanceof Object[])) return v;
    Object done = copies.get(v);
    if (done != null) return done;
    if (open.containsKey(v)) {
      throw new ModelFileException("refused pickle: " + path + " contains itself (a reference cycle); a state_dict is a tree of tensors");
    }
    if (v instanceof Map<?, ?> m) {
      Object r = new StateDict(copyMap(m, depth, path));
      copies.put(v, r);
      return r;
    }
    limits.checkDepth("refused pickle: " + path + " is nested deeper than that: the pickle", depth);
    open.put(v, Boolean.TRUE);
    List<?> items = v instanceof List<?> l ? l : java.util.Arrays.asList((Object[]) v);
    List<Object> out = new ArrayList<>(items.size());
    long count = 0;
    for (int i = 0; i < items.size(); i++) {
      out.add(copy(items.get(i), depth + 1, path + "[" + i + "]"));
      count = saturatingAdd(count, 1 + expandedOf(items.get(i)));
    }
    open.remove(v);
    expanded.put(v, count);
    limits.checkPickleElements("the pickle, counting each shared container wherever it appears,", count);
    Object r = Collections.unmodifiableList(out);
    copies.put(v, r);
    return r;
  }

  private Map<String, Object> copyMap(Map<?, ?> m, int depth, String path) {
    limits.checkDepth("refused pickle: " + path + " is nested deeper than that: the pickle", depth);
    open.put(m, Boolean.TRUE);
    Map<String, Object> out = new LinkedHashMap<>();
    long count = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      out.put(key, copy(e.getValue(), depth + 1, path + "['" + abbreviate(key) + "']"));
      count = saturatingAdd(count, 1 + expandedOf(e.getValue()));
    }
    open.remove(m);
    expanded.put(m, count);
    limits.checkPickleElements("the pickle, counting each shared container wherever it appears,", count);
    return out;
  }

  private long expandedOf(Object v) {
    Long n = expanded.get(v);
    return n == null ? 0 : n;
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }

  private static String abbreviate(String key) { return key.length() <= 40 ? key : key.substring(0, 37) + "..."; }
}
